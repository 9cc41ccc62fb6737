// embed-page.js: the script of embed.html, kapforms' iframe mode. It puts one <kap-form> in
// the page from the URL's parameters (instrument, lang, show-bands, start, patient-copy) and
// talks to the parent page with postMessage, never with the target origin '*':
//   - every kap-* event of the form goes to the parent as
//     { kapforms: 1, type: 'event', name, detail };
//   - the page's content height, whenever it changes (ResizeObserver), as
//     { kapforms: 1, type: 'height', height };
//   - a call { kapforms: 1, type: 'call', id, method } with method getResponse, validate or
//     reset is answered with { kapforms: 1, type: 'result', id, method, value }.
// Messages go only to the origins listed in the allow-origin parameter (comma-separated),
// narrowed by the page's <meta name="kapforms-allowed-origins"> when the clinic fills it in;
// the browser delivers a message only if the parent really has that origin. Messages from any
// other origin, or from any window but the parent, are ignored. kapforms-iframe.js is the
// parent's side of this.
import './kapforms.js';

const EVENTS = ['kap-ready', 'kap-change', 'kap-page', 'kap-validity', 'kap-draft-saved',
  'kap-submit', 'kap-error'];
const METHODS = ['getResponse', 'validate', 'reset'];
const ATTRIBUTES = ['instrument', 'show-bands', 'start', 'patient-copy'];

/** The origins in a comma-separated list, normalized; '*', 'null' and non-URLs are dropped. */
function origins(list) {
  const found = [];
  for (const text of (list || '').split(',')) {
    try {
      const origin = new URL(text.trim()).origin;
      if (origin !== 'null' && !found.includes(origin)) found.push(origin);
    } catch {
      // Not an origin: never a target.
    }
  }
  return found;
}

const params = new URLSearchParams(window.location.search);
const requested = origins(params.get('allow-origin'));
const configured = origins(document.querySelector('meta[name="kapforms-allowed-origins"]')?.content);
const allowed = configured.length === 0 ? requested
  : (requested.length === 0 ? configured : requested.filter((origin) => configured.includes(origin)));

/** Where the parent is, if the browser says and it is allowed; else every allowed origin (the
 *  browser drops a message whose target origin is not the parent's). */
function targets() {
  const ancestor = window.location.ancestorOrigins && window.location.ancestorOrigins[0];
  if (ancestor) return allowed.includes(ancestor) ? [ancestor] : [];
  return allowed;
}

function post(message) {
  if (window.parent === window) return;
  for (const origin of targets()) window.parent.postMessage({ kapforms: 1, ...message }, origin);
}

const form = document.createElement('kap-form');
for (const name of ATTRIBUTES) {
  const value = params.get(name);
  if (value !== null) form.setAttribute(name, value);
}
const lang = params.get('lang');
if (lang) document.documentElement.lang = lang;

for (const name of EVENTS) {
  form.addEventListener(name, (event) => post({ type: 'event', name, detail: event.detail ?? null }));
}

window.addEventListener('message', (event) => {
  if (event.source !== window.parent || !allowed.includes(event.origin)) return;
  const data = event.data;
  if (!data || data.kapforms !== 1 || data.type !== 'call' || !METHODS.includes(data.method)) return;
  const value = form[data.method]();
  event.source.postMessage(
    { kapforms: 1, type: 'result', id: data.id, method: data.method, value: value ?? null },
    event.origin);
});

let reported = -1;
new ResizeObserver(() => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height !== reported) {
    reported = height;
    post({ type: 'height', height });
  }
}).observe(document.documentElement);

document.getElementById('kapforms-frame').append(form);
