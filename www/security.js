// security.js: instrumentation for the security test pages (security-*.html) and the
// cross-origin examples (iframe.html, cross-origin.html), used by the browser tests in
// tests/tests/security.rs and tests/tests/cross_origin.rs. Loaded first, as a classic
// script, it records from the start every resource the page fetches, every
// Content-Security-Policy violation, every kap-* event and every message posted to the
// page, so the tests can check that the widget runs nothing from content and sends nothing
// anywhere. It is not part of the widget.
window.__requests = [];
window.__violations = [];
window.__kapEvents = [];
window.__messages = [];

window.addEventListener('message', (event) => {
  window.__messages.push({ origin: event.origin, data: event.data });
}, true);

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__requests.push({ url: entry.name, type: entry.initiatorType });
  }
}).observe({ type: 'resource', buffered: true });

document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
  });
}, true);

for (const name of ['kap-ready', 'kap-change', 'kap-page', 'kap-validity', 'kap-submit', 'kap-error']) {
  document.addEventListener(name, (event) => {
    window.__kapEvents.push({ name, target: event.target.id, detail: event.detail });
  });
}
