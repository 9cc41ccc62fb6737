// cross-origin.js: the cross-origin example's own script (host code, not the widget). A real
// page writes this tag by hand, with the hash from dist/integrity.json (kapforms.js holds the
// questionnaire's glue and fetches its module with that module's own hash):
//   <script type="module" src="https://cdn.example/kapforms/kapforms.js"
//           integrity="sha384-…" crossorigin></script>
// This page does not know the other origin's port in advance, so it reads the `dist`
// parameter (default: dist/ on the same host's next port, where `cargo xtask serve` serves
// the same files with CORS headers), fetches that integrity.json, and adds the same tag.
function defaultDist() {
  const url = new URL(window.location.href);
  url.port = String(Number(url.port || 80) + 1);
  url.pathname = '/dist/';
  url.search = '';
  return url.href;
}

const base = new URL(new URLSearchParams(window.location.search).get('dist') || defaultDist());
const integrity = await (await fetch(new URL('integrity.json', base))).json();

const script = document.createElement('script');
script.type = 'module';
script.src = new URL('kapforms.js', base).href;
script.integrity = integrity['kapforms.js'];
script.crossOrigin = 'anonymous';
document.head.append(script);
document.getElementById('cors-source').textContent = script.src;
