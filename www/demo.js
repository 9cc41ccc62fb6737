// The demo host page's own script: it listens to the events <kap-form> dispatches, as a
// clinic's site would, and shows what it receives. It is not part of the widget.
const events = document.getElementById('host-events');
const received = document.getElementById('host-received');

for (const name of ['kap-ready', 'kap-change', 'kap-validity', 'kap-submit', 'kap-error']) {
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
