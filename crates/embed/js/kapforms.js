// kapforms.js: defines the <kap-form> custom element. Include it with
//   <script type="module" src="/path/to/kapforms.js"></script>
// and place <kap-form instrument="phq9"></kap-form> anywhere on the page.
//
// This file is the only hand-written JavaScript: it loads the WebAssembly module that sits
// beside it (found from import.meta.url, so dist/ works from any folder and any origin),
// gives each element an open shadow root with the widget's stylesheet adopted (so a strict
// `style-src 'self'` policy works), and hands the element to Rust. Rust renders the form and
// dispatches the kap-ready, kap-change, kap-validity, kap-submit and kap-error events on the
// element. The element's API is typed in kapforms.d.ts.
import init, { mountForm, stylesheet } from './kapforms_embed.js';

let loading = null;
function loadModule() {
  loading ??= init({ module_or_path: new URL('./kapforms_embed_bg.wasm', import.meta.url) });
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

function reportLoadFailure(element, root, error) {
  const box = document.createElement('div');
  box.setAttribute('role', 'alert');
  box.setAttribute('data-error', '');
  box.textContent = 'This questionnaire could not be loaded. Please reload the page, or contact your clinic.';
  root.replaceChildren(box);
  element.dispatchEvent(new CustomEvent('kap-error', {
    bubbles: true,
    composed: true,
    detail: { code: 'load-failed', message: String((error && error.message) || error), details: [] },
  }));
}

class KapFormElement extends HTMLElement {
  static get observedAttributes() { return ['instrument', 'show-bands', 'start', 'patient-copy']; }

  #handle = null;
  #generation = 0;
  #definition = null;
  #textPack = null;
  #crisisResources = null;

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

  connectedCallback() { this.#render(); }

  disconnectedCallback() {
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
    if (generation !== this.#generation || !this.isConnected) return;
    this.#unmount();
    adoptStyles(root);
    this.#handle = mountForm(
      this, root, this.getAttribute('instrument') ?? '', this.#definitionText(), this.#options());
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
