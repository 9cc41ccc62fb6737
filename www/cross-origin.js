// cross-origin.js: the cross-origin example's own script (host code, not the widget). A real
// page writes these two tags by hand, with the hashes from dist/integrity.json:
//   <link rel="modulepreload" href="https://cdn.example/kapforms/kapforms_form.js"
//         integrity="sha384-…" crossorigin>
//   <script type="module" src="https://cdn.example/kapforms/kapforms.js"
//           integrity="sha384-…" crossorigin></script>
// This page does not know the other origin's port in advance, so it reads the `dist`
// parameter (default: dist/ on the same host's next port, where `cargo xtask serve` serves
// the same files with CORS headers), fetches that integrity.json, and adds the same tags.
function defaultDist() {
  const url = new URL(window.location.href);
  url.port = String(Number(url.port || 80) + 1);
  url.pathname = '/dist/';
  url.search = '';
  return url.href;
}

const base = new URL(new URLSearchParams(window.location.search).get('dist') || defaultDist());
const integrity = await (await fetch(new URL('integrity.json', base))).json();

const preload = document.createElement('link');
preload.rel = 'modulepreload';
preload.href = new URL('kapforms_form.js', base).href;
preload.integrity = integrity['kapforms_form.js'];
preload.crossOrigin = 'anonymous';
document.head.append(preload);

const script = document.createElement('script');
script.type = 'module';
script.src = new URL('kapforms.js', base).href;
script.integrity = integrity['kapforms.js'];
script.crossOrigin = 'anonymous';
document.head.append(script);
document.getElementById('cors-source').textContent = script.src;
