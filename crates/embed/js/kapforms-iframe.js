// kapforms-iframe.js: the parent page's side of kapforms' iframe mode, for hosts that prefer
// to keep the questionnaire in an iframe (served, for example, from the clinic's own origin
// while the page is on a site builder's):
//
//   import { embedForm } from 'https://forms.clinic.example/kapforms/kapforms-iframe.js';
//   const form = embedForm(document.getElementById('here'), {
//     src: 'https://forms.clinic.example/kapforms/embed.html', instrument: 'phq9' });
//   form.iframe.addEventListener('kap-submit', (event) => save(event.detail.response));
//   const response = await form.getResponse();
//
// It creates the iframe (src gets instrument, the options, and allow-origin: this page's
// origin unless told otherwise), sets its height to the height the form reports, re-dispatches
// the form's events (kap-ready, kap-change, kap-page, kap-validity, kap-submit, kap-error, ...)
// as bubbling, composed CustomEvents on the iframe element with the same detail, and turns
// getResponse(), validate() and reset() into messages. It accepts messages only from that
// iframe's window and origin, and sends only to that origin. No inline style: the height is
// set through the CSSOM, which a strict style-src allows.

const OPTIONS = { lang: 'lang', start: 'start', patientCopy: 'patient-copy' };

/**
 * Puts a kapforms iframe into `container` and returns its controller:
 * `{ iframe, getResponse(), validate(), reset(), remove() }` (the methods return promises).
 * `options`: `src` (the URL of embed.html), `instrument`, and optionally `lang`, `start`,
 * `patientCopy`, `showBands` (boolean), `title` (the iframe's accessible name),
 * `allowOrigin` (the origins the form may talk to; default this page's origin).
 */
export function embedForm(container, options) {
  const url = new URL(options.src, document.baseURI);
  url.searchParams.set('instrument', options.instrument ?? '');
  for (const [key, param] of Object.entries(OPTIONS)) {
    if (options[key] != null) url.searchParams.set(param, String(options[key]));
  }
  if (options.showBands) url.searchParams.set('show-bands', '');
  const allow = options.allowOrigin ?? window.location.origin;
  url.searchParams.set('allow-origin', Array.isArray(allow) ? allow.join(',') : allow);
  const origin = url.origin;

  const iframe = document.createElement('iframe');
  iframe.title = options.title ?? 'Questionnaire';
  iframe.src = url.href;
  iframe.className = 'kapforms-frame';
  iframe.style.width = '100%';
  iframe.style.border = '0';
  iframe.style.display = 'block';

  const pending = new Map();
  let nextId = 1;
  function onMessage(event) {
    if (event.source !== iframe.contentWindow || event.origin !== origin) return;
    const data = event.data;
    if (!data || data.kapforms !== 1) return;
    if (data.type === 'height' && Number.isFinite(data.height)) {
      iframe.style.height = `${Math.max(0, data.height)}px`;
      iframe.dispatchEvent(new CustomEvent('kap-resize', { detail: { height: data.height } }));
    } else if (data.type === 'event' && typeof data.name === 'string' && data.name.startsWith('kap-')) {
      iframe.dispatchEvent(new CustomEvent(data.name, { bubbles: true, composed: true, detail: data.detail }));
    } else if (data.type === 'result' && pending.has(data.id)) {
      pending.get(data.id)(data.value);
      pending.delete(data.id);
    }
  }
  window.addEventListener('message', onMessage);

  function call(method) {
    return new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      iframe.contentWindow?.postMessage({ kapforms: 1, type: 'call', id, method }, origin);
    });
  }

  container.append(iframe);
  return {
    iframe,
    getResponse: () => call('getResponse'),
    validate: () => call('validate'),
    reset: () => call('reset'),
    remove() {
      window.removeEventListener('message', onMessage);
      iframe.remove();
    },
  };
}
