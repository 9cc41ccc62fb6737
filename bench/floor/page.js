// The framework floor's page script (cargo xtask bench bundles it with the floor's glue, as
// `cargo xtask dist` bundles kapforms.js with the form bundle's): fetch the module at once,
// compile it as it streams, then render the inline PHQ-9.
import init, { mountForm } from './floor.js';

const module = fetch(new URL('floor_bg.wasm', import.meta.url));
await init({ module_or_path: module });
mountForm(document.getElementById('form'), document.getElementById('phq9').textContent);
