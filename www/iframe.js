// iframe.js: the iframe example's own script (host code, not the widget). It puts the
// questionnaire in an iframe with kapforms-iframe.js: the frame is dist/embed.html on another
// origin (the `frame` parameter, or by default the same host on the next port, where
// `cargo xtask serve` serves the same files with CORS headers); `allow-origin` may name the
// origins the frame may talk to (default: this page's). The iframe element re-dispatches the
// form's events, which demo.js lists; the buttons call the form's methods by message.
import { embedForm } from './dist/kapforms-iframe.js';

function defaultFrame() {
  const url = new URL(window.location.href);
  url.port = String(Number(url.port || 80) + 1);
  url.pathname = '/dist/embed.html';
  url.search = '';
  return url.href;
}

const params = new URLSearchParams(window.location.search);
const src = params.get('frame') || defaultFrame();
const allow = params.get('allow-origin');
const form = embedForm(document.getElementById('frame-here'), {
  src,
  instrument: params.get('instrument') || 'phq9',
  title: 'Questionnaire before your first visit',
  allowOrigin: allow ? allow.split(',') : undefined,
});
form.iframe.id = 'frame-form';
document.getElementById('frame-src').textContent = form.iframe.src;

form.iframe.addEventListener('kap-resize', (event) => {
  document.getElementById('frame-height').textContent = `${event.detail.height}px`;
});

const result = document.getElementById('frame-result');
for (const method of ['getResponse', 'validate', 'reset']) {
  document.getElementById(`frame-${method.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)
    .addEventListener('click', async () => {
      const value = await form[method]();
      result.textContent = JSON.stringify({ method, value }, null, 2);
    });
}
