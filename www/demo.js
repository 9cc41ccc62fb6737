// The demo host page's own script: it listens to the events <kap-form> dispatches, as a
// clinic's site would, and shows what it receives. It is not part of the widget.
const events = document.getElementById('host-events');
const received = document.getElementById('host-received');

// The panel's two boxes scroll when full: keyboard users reach them with Tab to scroll them
// (WCAG 2.1.1), and a screen reader names them.
if (events) {
  events.tabIndex = 0;
  events.setAttribute('aria-label', 'Events the page received');
}
if (received) {
  received.tabIndex = 0;
  received.setAttribute('role', 'region');
  received.setAttribute('aria-label', 'Last response or error the page received');
}

for (const name of ['kap-ready', 'kap-change', 'kap-page', 'kap-validity', 'kap-submit', 'kap-error', 'kap-draft-saved']) {
  document.addEventListener(name, (event) => {
    if (events) {
      const entry = document.createElement('li');
      const source = event.target && event.target.id ? ` (#${event.target.id})` : '';
      entry.textContent = `${name}${source}`;
      entry.dataset.event = name;
      events.append(entry);
    }
    if (name === 'kap-submit' && received) {
      received.textContent = JSON.stringify(event.detail.response, null, 2);
    }
    if (name === 'kap-error' && received) {
      received.textContent = JSON.stringify(event.detail, null, 2);
    }
  });
}

// Demo host code, not widget code: the patient page keeps what its form submitted in this
// browser tab's sessionStorage, so that the clinician demo page (clinician.html), opened in
// the same tab, can show it. It stands in for the clinic's own server, which a real site
// would post the response to; nothing here leaves the browser.
const SUBMITTED_KEY = 'kapforms-demo:submitted';
document.addEventListener('kap-submit', (event) => {
  if (!event.target || event.target.id !== 'demo-form') return;
  try {
    const kept = JSON.parse(sessionStorage.getItem(SUBMITTED_KEY) || '[]');
    kept.push(event.detail.response);
    sessionStorage.setItem(SUBMITTED_KEY, JSON.stringify(kept));
  } catch {
    // Storage may be unavailable (private mode, quota): the demo simply shows nothing.
  }
});
