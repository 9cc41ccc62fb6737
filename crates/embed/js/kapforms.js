// kapforms.js: defines the <kap-form> custom element (the patient's questionnaire) and the
// <kap-results> element (the clinician's view of stored responses). Include it with
//   <script type="module" src="/path/to/kapforms.js"></script>
// and place <kap-form instrument="phq9"></kap-form> or <kap-results></kap-results> anywhere.
//
// This file is the hand-written loader (iframe mode adds embed-page.js and kapforms-iframe.js):
// it loads the WebAssembly module that sits beside it (found from import.meta.url, so dist/
// works from any folder and any origin; fetched with its integrity hash once dist is built),
// gives each element an open shadow root with the widget's stylesheet adopted (so a strict
// `style-src 'self'` policy works), and hands the element to Rust. Rust renders the form and
// dispatches the kap-ready, kap-change, kap-page, kap-validity, kap-submit and kap-error
// events on the element. <kap-results> shares the loader and the stylesheet: it hands Rust the responses
// the host set and the .json files the clinician opened or dropped (read here with the
// browser's File API: nothing is uploaded, nothing fetched), and Rust re-scores and renders
// them and dispatches kap-ready and kap-error. The elements' API is typed in kapforms.d.ts.
import init, { mountForm, mountResults, stylesheet } from './kapforms_embed.js';

// The Subresource Integrity hash of kapforms_embed_bg.wasm: `cargo xtask dist` writes it here
// (and lists it in integrity.json), so a page that pins this file with `integrity` also pins
// the module it fetches. Empty in the source tree: then the module is fetched unchecked.
const WASM_INTEGRITY = '';

let loading = null;
function loadModule() {
  const url = new URL('./kapforms_embed_bg.wasm', import.meta.url);
  loading ??= init({ module_or_path: WASM_INTEGRITY ? fetch(url, { integrity: WASM_INTEGRITY }) : url });
  return loading;
}

let sheet = null;
function adoptStyles(root) {
  if (sheet === null) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(stylesheet());
  }
  root.adoptedStyleSheets = [sheet];
}

function reportLoadFailure(element, root, error,
  text = 'This questionnaire could not be loaded. Please reload the page, or contact your clinic.') {
  const box = document.createElement('div');
  box.setAttribute('role', 'alert');
  box.setAttribute('data-error', '');
  box.textContent = text;
  root.replaceChildren(box);
  element.dispatchEvent(new CustomEvent('kap-error', {
    bubbles: true,
    composed: true,
    detail: { code: 'load-failed', message: String((error && error.message) || error), details: [] },
  }));
}

// No lost answers, even if the WebAssembly side fails: every <kap-form> keeps a copy of its
// latest response (from its own kap-change events) out here in JavaScript. If the module traps
// (a Rust panic aborts it), every form is replaced by a calm message with a "download my
// answers" button for that copy, and kap-error (code "crashed") tells the host.
const liveForms = new Set();
let crashed = false;

function crashAll(error) {
  if (crashed) return;
  crashed = true;
  for (const form of liveForms) form.showCrash(error);
}

window.addEventListener('error', (event) => {
  if (event.error instanceof WebAssembly.RuntimeError) crashAll(event.error);
});
window.addEventListener('unhandledrejection', (event) => {
  if (event.reason instanceof WebAssembly.RuntimeError) crashAll(event.reason);
});

class KapFormElement extends HTMLElement {
  static get observedAttributes() { return ['instrument', 'show-bands', 'start', 'patient-copy']; }

  #handle = null;
  #generation = 0;
  #definition = null;
  #textPack = null;
  #crisisResources = null;
  #answersCopy = null;

  constructor() {
    super();
    this.addEventListener('kap-change', (event) => {
      this.#answersCopy = event.detail && event.detail.response;
    });
  }

  /** Replaces the form with a message and a download of the answers given so far. */
  showCrash(error) {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    this.#handle = null;
    const box = document.createElement('div');
    box.className = 'kf-root';
    const panel = document.createElement('div');
    panel.className = 'kf-message';
    panel.setAttribute('role', 'alert');
    panel.setAttribute('data-crashed', '');
    const title = document.createElement('h2');
    title.textContent = 'Something went wrong with this form';
    const text = document.createElement('p');
    text.textContent = 'Your answers so far are safe in this browser. Download them and send the '
      + 'file to your clinic, or reload the page to start again.';
    panel.append(title, text);
    if (this.#answersCopy) {
      const json = JSON.stringify(this.#answersCopy, null, 2);
      const link = document.createElement('a');
      link.className = 'kf-button kf-primary';
      link.setAttribute('data-action', 'download-answers');
      // A data: URL: the file is made here, in the page, and nothing is fetched.
      link.href = `data:application/json;charset=utf-8,${encodeURIComponent(json)}`;
      link.download = 'my-answers.json';
      link.textContent = 'Download my answers';
      panel.append(link);
    }
    box.append(panel);
    root.replaceChildren(box);
    this.dispatchEvent(new CustomEvent('kap-error', {
      bubbles: true,
      composed: true,
      detail: { code: 'crashed', message: String((error && error.message) || error), details: [] },
    }));
  }

  /** A clinic's own definition (a kapforms definition object); overrides `instrument`. */
  get definition() { return this.#definition; }
  set definition(value) { this.#definition = value ?? null; this.#rerender(); }

  /** A licensed clinic's wording for a skeleton instrument: { itemId: text, "itemId/code": label }. */
  get textPack() { return this.#textPack; }
  set textPack(value) { this.#textPack = value ?? null; this.#rerender(); }

  /** Crisis resources for the clinic's country: { title, paragraphs: [..] }. */
  get crisisResources() { return this.#crisisResources; }
  set crisisResources(value) { this.#crisisResources = value ?? null; this.#rerender(); }

  /** The current answers as a native response object, or null while nothing is shown. */
  getResponse() { return this.#handle ? this.#handle.getResponse() : null; }

  /** Checks the answers ({valid, missing}) and shows the patient what is missing. */
  validate() { return this.#handle ? this.#handle.validate() : { valid: false, missing: [] }; }

  /** Clears every answer. */
  reset() { if (this.#handle) this.#handle.reset(); }

  connectedCallback() {
    liveForms.add(this);
    this.#render();
  }

  disconnectedCallback() {
    liveForms.delete(this);
    this.#generation += 1;
    this.#unmount();
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (oldValue !== newValue) this.#rerender();
  }

  #definitionText() {
    if (this.#definition !== null) return JSON.stringify(this.#definition);
    const script = this.querySelector(':scope > script[type="application/json"]');
    return script ? script.textContent : '';
  }

  #options() {
    return JSON.stringify({
      textPack: this.#textPack,
      crisisResources: this.#crisisResources,
      showBands: this.hasAttribute('show-bands'),
      start: this.getAttribute('start') ?? '',
      patientCopy: this.getAttribute('patient-copy') ?? '',
    });
  }

  #rerender() { if (this.#handle !== null) this.#render(); }

  async #render() {
    const generation = ++this.#generation;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    try {
      await loadModule();
    } catch (error) {
      reportLoadFailure(this, root, error);
      return;
    }
    if (generation !== this.#generation || !this.isConnected || crashed) return;
    this.#unmount();
    adoptStyles(root);
    try {
      this.#handle = mountForm(
        this, root, this.getAttribute('instrument') ?? '', this.#definitionText(), this.#options());
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) crashAll(error);
      else throw error;
    }
  }

  #unmount() {
    if (this.#handle !== null) {
      this.#handle.unmount();
      this.#handle.free();
      this.#handle = null;
    }
  }
}

if (!customElements.get('kap-form')) customElements.define('kap-form', KapFormElement);

/** Whether a dropped or chosen file looks like JSON. */
function isJsonFile(file) {
  return /\.json$/i.test(file.name) || file.type === 'application/json';
}

class KapResultsElement extends HTMLElement {
  static get observedAttributes() { return ['controls']; }

  #handle = null;
  #generation = 0;
  #responses = [];
  #files = [];
  #patient = null;
  #definitions = null;
  #controls = null;
  #dragDepth = 0;

  constructor() {
    super();
    // Dropping a file anywhere on the element reads it; nothing leaves the browser.
    this.addEventListener('dragover', (event) => {
      if (!this.#acceptsFiles()) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    });
    this.addEventListener('dragenter', () => {
      if (this.#acceptsFiles() && this.#dragDepth++ === 0) this.#controls?.classList.add('kr-dragging');
    });
    this.addEventListener('dragleave', () => {
      if (this.#dragDepth > 0 && --this.#dragDepth === 0) this.#controls?.classList.remove('kr-dragging');
    });
    this.addEventListener('drop', (event) => {
      if (!this.#acceptsFiles()) return;
      event.preventDefault();
      this.#dragDepth = 0;
      this.#controls?.classList.remove('kr-dragging');
      if (event.dataTransfer) this.#addFiles(event.dataTransfer.files);
    });
  }

  /** The responses to show: native kapforms responses or FHIR QuestionnaireResponses, as
   *  objects or JSON text (one, or a list). */
  get responses() { return this.#responses; }
  set responses(value) {
    this.#responses = value == null ? [] : (Array.isArray(value) ? [...value] : [value]);
    this.#rerender();
  }

  /** Who the responses belong to, shown in the header and on the printout: {name, dateOfBirth, id}. */
  get patient() { return this.#patient; }
  set patient(value) { this.#patient = value ?? null; this.#rerender(); }

  /** A clinic's own definitions (kapforms definition objects), to re-score responses to them. */
  get definitions() { return this.#definitions; }
  set definitions(value) { this.#definitions = value ?? null; this.#rerender(); }

  /** Forgets the files the clinician opened or dropped. */
  clearFiles() { this.#files = []; this.#rerender(); }

  connectedCallback() { this.#render(); }

  disconnectedCallback() {
    this.#generation += 1;
    this.#unmount();
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (oldValue !== newValue) this.#rerender();
  }

  #acceptsFiles() { return this.getAttribute('controls') !== 'off'; }

  async #addFiles(fileList) {
    const files = Array.from(fileList || []).filter(isJsonFile);
    if (files.length === 0) return;
    const read = await Promise.all(files.map(async (file) => ({ source: file.name, text: await file.text() })));
    this.#files.push(...read);
    this.#render();
  }

  #inputs() {
    const given = this.#responses.map((response, index) => ({
      source: this.#responses.length === 1 ? 'page' : `page ${index + 1}`,
      text: typeof response === 'string' ? response : JSON.stringify(response),
    }));
    return JSON.stringify([...given, ...this.#files]);
  }

  #options() {
    return JSON.stringify({ patient: this.#patient, definitions: this.#definitions });
  }

  /** The file picker, the drop hint and the print button: not part of the printout. */
  #ensureControls(root) {
    if (this.#controls === null) {
      const bar = document.createElement('div');
      bar.className = 'kr-controls';
      bar.setAttribute('part', 'controls');
      const label = document.createElement('label');
      label.append('Open response files (.json) ');
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.json,application/json';
      input.multiple = true;
      input.addEventListener('change', () => { this.#addFiles(input.files); input.value = ''; });
      label.append(input);
      const hint = document.createElement('p');
      hint.className = 'kr-drop-hint';
      hint.textContent = 'or drop them here. Files are read in this browser and never uploaded.';
      const print = document.createElement('button');
      print.type = 'button';
      print.dataset.action = 'print';
      print.textContent = 'Print or save as PDF';
      print.addEventListener('click', () => window.print());
      bar.append(label, hint, print);
      this.#controls = bar;
    }
    this.#controls.hidden = !this.#acceptsFiles();
    if (this.#controls.parentNode !== root) root.prepend(this.#controls);
  }

  #rerender() { if (this.#handle !== null) this.#render(); }

  async #render() {
    const generation = ++this.#generation;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    try {
      await loadModule();
    } catch (error) {
      reportLoadFailure(this, root, error, 'The results could not be loaded. Please reload the page.');
      return;
    }
    if (generation !== this.#generation || !this.isConnected) return;
    this.#unmount();
    adoptStyles(root);
    this.#ensureControls(root);
    this.#handle = mountResults(this, root, this.#inputs(), this.#options());
  }

  #unmount() {
    if (this.#handle !== null) {
      this.#handle.unmount();
      this.#handle.free();
      this.#handle = null;
    }
  }
}

if (!customElements.get('kap-results')) customElements.define('kap-results', KapResultsElement);
