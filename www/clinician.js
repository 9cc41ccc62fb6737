// Demo host code, not widget code: the clinic's own page script. It gives <kap-results> the
// patient's identifying fields, the clinic's own check-in definition, the sample responses
// shipped with the demo site (files of this same site) and whatever the patient page submitted
// in this browser tab (demo.js kept it in sessionStorage). A real clinic would load responses
// from its own records system instead. The widget itself makes no request of any kind.
const SUBMITTED_KEY = 'kapforms-demo:submitted';
const SAMPLES = [
  'phq9-2026-09-01.json', 'gad7-2026-09-01.json', 'who5-2026-09-01.json',
  'phq9-2026-10-06.json',
  'phq9-2026-11-10.json', 'gad7-2026-11-10.json', 'who5-2026-11-10.json',
  'readiness-ruler-2026-11-10.json', 'checkin-2026-11-10.json',
];

const results = document.getElementById('results');
const withSamples = document.getElementById('with-samples');
const count = document.getElementById('submitted-count');

async function sampleFile(name) {
  const reply = await fetch(`samples/${name}`);
  return reply.json();
}

function submitted() {
  try {
    return JSON.parse(sessionStorage.getItem(SUBMITTED_KEY) || '[]');
  } catch {
    return [];
  }
}

const [definition, ...samples] = await Promise.all(
  ['clinic-checkin.definition.json', ...SAMPLES].map(sampleFile));

function show() {
  const mine = submitted();
  count.textContent = mine.length === 0
    ? 'Nothing submitted from the patient page in this tab yet.'
    : `${mine.length} response(s) submitted from the patient page in this tab are included.`;
  results.responses = [...(withSamples.checked ? samples : []), ...mine];
}

results.patient = { name: 'Alex Example (fictional)', dateOfBirth: '1985-04-12', id: 'RKC-0042' };
results.definitions = [definition];
withSamples.addEventListener('change', show);
show();
