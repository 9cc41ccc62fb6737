// app.jsx: the React example's own app (React 19), bundled with the kapforms npm package by
// esbuild into app.js when the site is built (xtask/src/dist.rs). It is a clinic's page in
// miniature: it renders <kap-form instrument="phq9">, listens to kap-submit through a ref, as
// any custom element's events are listened to, and shows what arrived. Nothing is inline, so
// the site's strict Content-Security-Policy holds.
import { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'kapforms';

/** One kapforms questionnaire; calls onSubmit with the kap-submit event's detail. */
function Questionnaire({ instrument, onSubmit }) {
  const ref = useRef(null);
  useEffect(() => {
    const element = ref.current;
    const listener = (event) => onSubmit(event.detail);
    element.addEventListener('kap-submit', listener);
    return () => element.removeEventListener('kap-submit', listener);
  }, [onSubmit]);
  return <kap-form id="react-form" ref={ref} instrument={instrument} />;
}

function App() {
  const [submitted, setSubmitted] = useState(null);
  const onSubmit = useCallback((detail) => setSubmitted(detail), []);
  const total = submitted?.response.scores.find((score) => score.id === 'phq9_total');
  return (
    <main className="layout">
      <section className="patient" aria-labelledby="react-heading">
        <h1 id="react-heading">A React page</h1>
        <p>This page's own script is a small React app. It renders the questionnaire and
          keeps what the form submits in its state.</p>
        <Questionnaire instrument="phq9" onSubmit={onSubmit} />
      </section>
      <aside className="host-panel" aria-labelledby="react-received-heading">
        <h2 id="react-received-heading">What the React app received</h2>
        <p id="react-status">
          {submitted
            ? `A ${submitted.response.status} response (FHIR ${submitted.fhir.resourceType}), total ${total ? total.value : '?'}.`
            : 'Nothing yet: answer and submit the questionnaire.'}
        </p>
        <pre id="host-received">{submitted ? JSON.stringify(submitted.response, null, 2) : ''}</pre>
      </aside>
    </main>
  );
}

createRoot(document.getElementById('app')).render(<App />);
