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
//
// Language: each element reads its `lang` attribute, else the nearest ancestor's, else
// English. Changing `lang` on <kap-form> switches the language at once and keeps every answer
// and the page; on <kap-results> it redraws the view. Every string shown here comes from the
// message catalogue (crates/widgets/locales) through the bundles' pageTexts(), except
// LOAD_FAILED below, which must show when a bundle itself failed to load (a test keeps it equal
// to the catalogue).
//
// Drafts live here too (see "Drafts" below): with drafts="local", each form's answers and page
// are encrypted (AES-GCM, a non-extractable key) and kept in IndexedDB as the patient goes, so
// they survive a reload, a browser restart, and even a trap of the WebAssembly module.
//
// Three WebAssembly bundles sit beside this file: `kapforms_form` (the patient's
// questionnaire for a built-in as shipped: all most <kap-form> pages load),
// `kapforms_form_custom` (the same with validation and content hashing, for a clinic's own
// definition or a text pack) and `kapforms_results` (the clinician's view, loaded only when a
// <kap-results> element appears). Each is imported on first use. In dist/, `cargo xtask dist`
// bundles this file with the form bundle's glue (esbuild inlines the first import below), so
// a <kap-form> page requests this file, then the preview of the built-in's first page, the
// module and the built-in questionnaire's files (see LIBRARY below; on a fast connection the
// last two once the preview is painted, see #render); the other glues stay files of their
// own.
const BUNDLES = {
  form: [() => import('./kapforms_form.js'), './kapforms_form_bg.wasm'],
  form_custom: [() => import('./kapforms_form_custom.js'), './kapforms_form_custom_bg.wasm'],
  results: [() => import('./kapforms_results.js'), './kapforms_results_bg.wasm'],
};

// The Subresource Integrity hashes of the files this one fetches (the .wasm modules and
// the built-ins' files under instruments/), by path: `cargo xtask dist` writes them here, so a
// page that pins this file with `integrity` also pins everything it fetches. Empty in the
// source tree: then the files are fetched unchecked.
const FILE_INTEGRITY = {};

const loading = {};
/**
 * Loads a bundle once: its WebAssembly module is fetched at the same time as its glue is
 * imported (not after; in dist/ the form's glue is already here), so the module downloads
 * while the page does other work. It is compiled and instantiated once `ready` settles: a
 * form's preview (`#render`), whose HTML is a few kilobytes, is shown and painted before the
 * module's compilation and first render hold the main thread. Exported for kapforms' own
 * browser tests only (their test-hooks build's glue has a deliberate trap to call); not part
 * of the host API.
 */
export function loadModule(kind, ready = Promise.resolve()) {
  const [glue, wasm] = BUNDLES[kind];
  loading[kind] ??= (async () => {
    const integrity = FILE_INTEGRITY[wasm.slice(2)];
    const url = new URL(wasm, import.meta.url);
    const response = integrity ? fetch(url, { integrity }) : fetch(url);
    // A failed import is the error reported; the fetch's own failure then has no reader.
    response.catch(() => {});
    const module = await glue();
    await ready;
    await module.default({ module_or_path: response });
    return module;
  })();
  return loading[kind];
}

/**
 * Settles once the page has painted what was just added to it (the next frame, then a task),
 * or after `PAINT_WAIT_MS` where no frame comes (a page in a background tab draws none).
 */
function afterNextPaint() {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, PAINT_WAIT_MS);
    requestAnimationFrame(() => setTimeout(() => {
      clearTimeout(timer);
      resolve();
    }, 0));
  });
}

/**
 * Whether the browser reports a fast connection: the Network Information API's effective type
 * `4g` (Chromium's estimate: round trips under about 270 ms). Other browsers do not say.
 */
function fastConnection() {
  return navigator.connection !== undefined && navigator.connection.effectiveType === '4g';
}

/** How long the module waits for a preview's frame in a page that draws none. */
const PAINT_WAIT_MS = 100;

/**
 * How long the module waits for a preview at most: a preview is a few kilobytes fetched
 * before or with the module, so it comes first; a preview held up longer does not hold up the
 * form.
 */
const PREVIEW_WAIT_MS = 3000;

// The built-in questionnaires, as files beside this one that `cargo xtask dist` writes (they
// are not in the module, so a page downloads only the ones it shows): `instruments/<id>.json`,
// each built-in's definition, `instruments/<lang>/<id>.json`, its wording in a language, and
// `instruments/preview/<lang>/<id>.html`, its first page. Each file is whole: a built-in that
// embeds others has them spliced in. For each built-in id: `wording`, the languages it has
// wording in, and `previews`, those it has a preview in. `cargo xtask dist` fills it in
// (KAPFORMS_LIBRARY).
const LIBRARY = typeof KAPFORMS_LIBRARY === 'object' ? KAPFORMS_LIBRARY : {};

const fetchedTexts = {};
/**
 * The text of a file beside this one (`path` relative to it), checked against its integrity
 * hash; fetched once per page (forms of the same instrument, and a form drawn again, share
 * it), and fetched again next time if it failed.
 */
function fetchText(path) {
  fetchedTexts[path] ??= (async () => {
    const integrity = FILE_INTEGRITY[path];
    const url = new URL(path, import.meta.url);
    const response = await (integrity ? fetch(url, { integrity }) : fetch(url));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.text();
  })().catch((error) => {
    delete fetchedTexts[path];
    throw error;
  });
  return fetchedTexts[path];
}

/**
 * The built-ins a form needs: the instrument it shows, or the built-ins a clinic's own
 * definition embeds as module sections (each file already holds what that built-in embeds).
 * Ids that are not built-ins are left out (the module then says what is wrong, as for a
 * definition that is not JSON).
 */
function builtInsFor(instrument, definitionText) {
  let roots = [instrument];
  if (definitionText.trim() !== '') {
    roots = [];
    try {
      const sections = JSON.parse(definitionText)?.sections;
      if (Array.isArray(sections)) {
        for (const section of sections) {
          if (typeof section?.module === 'string') roots.push(section.module);
        }
      }
    } catch { /* not JSON: the module reports it */ }
  }
  return [...new Set(roots.filter((id) => Object.hasOwn(LIBRARY, id)))];
}

/** `{id: text}` of fetching `path(id)` for each id. */
async function fetchEach(ids, path) {
  const texts = await Promise.all(ids.map((id) => fetchText(path(id))));
  return Object.fromEntries(ids.map((id, index) => [id, texts[index]]));
}

/** The wording of these built-ins in the language of `tag`, for those that have it. */
function fetchWording(ids, tag) {
  const language = tag.split(/[-_]/)[0].toLowerCase();
  const worded = ids.filter((id) => LIBRARY[id].wording.includes(language));
  return fetchEach(worded, (id) => `instruments/${language}/${id}.json`);
}

/**
 * What mountForm reads the built-ins from: `{definitions, wording}`, each `{id: text}`: the
 * definitions of `ids`, and the wording of `worded` in the language of `tag`.
 */
async function fetchLibrary(ids, worded, tag) {
  const [definitions, wording] = await Promise.all([
    fetchEach(ids, (id) => `instruments/${id}.json`),
    fetchWording(worded, tag),
  ]);
  return { definitions, wording };
}

/**
 * The path of the preview a form shows while the module loads: a built-in's first page in the
 * element's language, rendered ahead of time by the widgets' own form (`cargo xtask dist`,
 * `instruments/preview/`) with the host's default options. `null` when the element asks for
 * anything the preview was not rendered with (a clinic's own definition, a text pack,
 * thresholds, crisis resources, a start page, bands, drafts or the patient's copy set), the
 * built-in has none (a skeleton), or the browser cannot make it inert.
 */
function previewPathFor(element, instrument, definitionText, hostSettings) {
  // Without `inert` (browsers before 2022/2023) a preview could be answered: none there.
  if (!('inert' in HTMLElement.prototype)) return null;
  if (!Object.hasOwn(LIBRARY, instrument) || definitionText.trim() !== '') return null;
  if (hostSettings.some((value) => value !== null)) return null;
  if (['show-bands', 'start', 'patient-copy', 'drafts'].some((name) => element.hasAttribute(name))) {
    return null;
  }
  const language = shippedLanguage(languageOf(element));
  if (!LIBRARY[instrument].previews.includes(language)) return null;
  return `instruments/preview/${language}/${instrument}.html`;
}

/**
 * Shows a preview in a shadow root that shows nothing yet (no form, no message): inert (it
 * cannot be focused or answered, so no answer can be given to a form that would not keep it)
 * and busy, until the live form replaces it (`replacePreview`). The HTML is our own file, fetched pinned by its integrity
 * hash, and holds no script; where the page forbids setting HTML (Trusted Types), there is
 * simply no preview.
 */
function showPreview(root, html) {
  if (root.firstElementChild !== null) return;
  const box = document.createElement('div');
  box.className = 'kf-mount';
  box.setAttribute('data-preview', '');
  box.setAttribute('aria-busy', 'true');
  box.inert = true;
  try {
    box.innerHTML = html;
  } catch {
    return;
  }
  root.append(box);
}

/** Removes the preview as soon as the live form (the root's other container) has drawn. */
function replacePreview(root) {
  // (`:scope` matches nothing in a shadow root's own querySelector: its children are read.)
  const mounts = [...root.children].filter((child) => child.classList.contains('kf-mount'));
  const preview = mounts.find((mount) => mount.hasAttribute('data-preview'));
  if (preview === undefined) return;
  const live = mounts.find((mount) => !mount.hasAttribute('data-preview'));
  if (live === undefined || live.firstChild !== null) {
    preview.remove();
    return;
  }
  new MutationObserver((_, observer) => {
    observer.disconnect();
    preview.remove();
  }).observe(live, { childList: true });
}

/** The catalogue's page-load-failed and page-results-load-failed messages, by language. */
const LOAD_FAILED = {
  en: ['This questionnaire could not be loaded. Please reload the page, or contact your clinic.',
    'The results could not be loaded. Please reload the page.'],
  es: ['No se pudo cargar este cuestionario. Por favor, vuelva a cargar la página o comuníquese con su clínica.',
    'No se pudieron cargar los resultados. Por favor, vuelva a cargar la página.'],
};

/** The element's language tag: its own `lang`, else the nearest ancestor's, else English. */
function languageOf(element) {
  const owner = element.closest('[lang]');
  const tag = owner ? owner.getAttribute('lang').trim() : '';
  return tag === '' ? 'en' : tag;
}

/** The shipped language for a tag (by its primary subtag), for the texts kept here. */
function shippedLanguage(tag) {
  return tag.toLowerCase().split(/[-_]/)[0] === 'es' ? 'es' : 'en';
}

// The widgets' stylesheet (crates/widgets/src/style.css). `cargo xtask dist` writes its text
// here when it bundles this file (esbuild's `define`), so an element's shadow root is styled
// while the module is still downloading, and the text never crosses from WebAssembly.
const STYLESHEET = typeof KAPFORMS_STYLESHEET === 'string' ? KAPFORMS_STYLESHEET : '';

// One constructed stylesheet shared by every element.
let sheet = null;
function adoptStyles(root) {
  if (sheet === null) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLESHEET);
  }
  root.adoptedStyleSheets = [sheet];
}

// The clinician's view's own stylesheet (`kr-*`), from its bundle (a patient's page never
// loads it), adopted on top of the widgets' once that bundle is there; shared likewise.
let resultsSheet = null;
function adoptResultsStyles(root, wasm) {
  if (resultsSheet === null) {
    resultsSheet = new CSSStyleSheet();
    resultsSheet.replaceSync(wasm.resultsStylesheet());
  }
  adoptStyles(root);
  root.adoptedStyleSheets = [sheet, resultsSheet];
}

function reportLoadFailure(element, root, error,
  text = LOAD_FAILED[shippedLanguage(languageOf(element))][0]) {
  const box = document.createElement('div');
  box.setAttribute('role', 'alert');
  box.setAttribute('data-error', '');
  box.textContent = text;
  root.replaceChildren(box);
  tellLoadFailed(element, error);
}

/** Dispatches `kap-error` with code `load-failed` on the element. */
function tellLoadFailed(element, error) {
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


// Drafts (drafts="local"; ARCHITECTURE.md says why they live here and not in Rust). The
// database "kapforms-drafts" is opened only when a form asks for drafts. Store "keys": one
// non-extractable AES-GCM CryptoKey. Store "drafts": per form, keyed [draft-key, instrument,
// content hash], {iv, data, savedAt, expiresAt}: a fresh random IV per save and the ciphertext
// of {instrument, content_hash, answers, page}, bound to its key as additional data. A draft
// that expired, is unreadable, or belongs to an earlier version of the definition is deleted,
// not restored. A change is written at once; changes made during a write are folded into the
// next one (no timer holds back the last answer). No answers, no draft, no storage: deleted.
// Storage failures never stop the form: the patient is told once. Nothing here logs.
const DRAFT_DB = 'kapforms-drafts';
const KEY_STORE = 'keys';
const DRAFT_STORE = 'drafts';
const KEY_ID = 'aes-gcm';
const DEFAULT_TTL_HOURS = 24;
const HOUR_MS = 3600 * 1000;

function requestResult(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function transactionDone(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new DOMException('aborted', 'AbortError'));
  });
}

/** The stored key, or a new non-extractable one (if another tab stored its key first, that one). */
async function draftCryptoKey(db) {
  const read = () => requestResult(db.transaction(KEY_STORE).objectStore(KEY_STORE).get(KEY_ID));
  const existing = await read();
  if (existing instanceof CryptoKey) return existing;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  try {
    const transaction = db.transaction(KEY_STORE, 'readwrite');
    transaction.objectStore(KEY_STORE).add(key, KEY_ID);
    await transactionDone(transaction);
    return key;
  } catch (error) {
    const stored = await read();
    if (stored instanceof CryptoKey) return stored;
    throw error;
  }
}

/** Deletes every draft past its expiry, whichever form wrote it. */
async function deleteExpiredDrafts(db) {
  const transaction = db.transaction(DRAFT_STORE, 'readwrite');
  const store = transaction.objectStore(DRAFT_STORE);
  const now = Date.now();
  store.openCursor().onsuccess = (event) => {
    const cursor = event.target.result;
    if (!cursor) return;
    if (!(cursor.value && cursor.value.expiresAt > now)) cursor.delete();
    cursor.continue();
  };
  await transactionDone(transaction);
}

let draftStorage = null;
/** The drafts database and key, opened once per page; rejects when storage is unavailable. */
function openDraftStorage() {
  draftStorage ??= (async () => {
    if (!globalThis.indexedDB || !globalThis.crypto || !crypto.subtle) {
      throw new Error('IndexedDB or WebCrypto is unavailable');
    }
    const request = indexedDB.open(DRAFT_DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(KEY_STORE);
      request.result.createObjectStore(DRAFT_STORE);
    };
    const db = await requestResult(request);
    db.onversionchange = () => db.close();
    const key = await draftCryptoKey(db);
    await deleteExpiredDrafts(db);
    return { db, key };
  })();
  return draftStorage;
}

/** Runs draft operations on one record one after another, so a late write never undoes a delete. */
const draftQueues = new Map();
function queueDraftOperation(name, operation) {
  const next = (draftQueues.get(name) ?? Promise.resolve()).then(operation);
  const settled = next.catch(() => {});
  draftQueues.set(name, settled);
  settled.then(() => { if (draftQueues.get(name) === settled) draftQueues.delete(name); });
  return next;
}

const liveDraftKeepers = new Set();
function flushAllDrafts() { for (const keeper of liveDraftKeepers) keeper.flush(); }
window.addEventListener('pagehide', flushAllDrafts);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flushAllDrafts();
});

/** Keeps one form's draft: restores it once the form is mounted, then writes every change. */
class DraftKeeper {
  #element;
  #draftKey;
  #ttlMs;
  #handle = null;
  #identity = null;
  #recordKey = null;
  #name = null;
  #latest = null;
  #written = null;
  #ready = false;
  #writing = false;
  #closed = false;
  #failed = false;

  constructor(element, draftKey, ttlHours) {
    this.#element = element;
    this.#draftKey = draftKey;
    this.#ttlMs = ttlHours * HOUR_MS;
  }

  /** The function mountForm calls with {answers, page} on every change. */
  update(draft) {
    this.#latest = draft;
    this.flush();
  }

  /** Restores the stored draft (if any, fresh, and for this very definition), then keeps writing. */
  async start(handle, identity) {
    this.#handle = handle;
    this.#identity = identity;
    this.#recordKey = [this.#draftKey, identity.instrument, identity.content_hash];
    this.#name = JSON.stringify(this.#recordKey);
    for (const other of liveDraftKeepers) {
      if (other.#name === this.#name) {
        this.#element.dispatchEvent(new CustomEvent('kap-error', {
          bubbles: true,
          composed: true,
          detail: {
            code: 'draft-key-clash',
            message: 'Two forms on this page keep drafts of the same questionnaire: give each a different draft-key attribute. This one keeps no draft.',
            details: [],
          },
        }));
        this.#fail();
        return;
      }
    }
    liveDraftKeepers.add(this);
    try {
      const storage = await openDraftStorage();
      const draft = await queueDraftOperation(this.#name, () => this.#read(storage));
      if (this.#closed) return;
      const untouched = !this.#latest || Object.keys(this.#latest.answers ?? {}).length === 0;
      if (draft && untouched) {
        this.#handle.restoreDraft({ answers: draft.answers, page: draft.page });
        // What the form reported before the restore is not worth a write (it would delete
        // the draft until the restored form reports); the restored form reports next.
        this.#written = this.#latest;
      }
      this.#ready = true;
      this.flush();
    } catch {
      this.#fail();
    }
  }

  /** Stops keeping (the element left the page or re-renders); a write in flight completes. */
  close() {
    this.flush();
    this.#closed = true;
    this.#handle = null;
    liveDraftKeepers.delete(this);
  }

  /** Starts a write of the latest draft unless it is written or a write is in flight. */
  flush() {
    if (!this.#ready || this.#writing || this.#failed || this.#latest === this.#written) return;
    this.#writing = true;
    const draft = this.#latest;
    queueDraftOperation(this.#name, () => this.#write(draft))
      .then((savedAt) => {
        this.#written = draft;
        this.#writing = false;
        if (savedAt !== null) {
          this.#element.dispatchEvent(new CustomEvent('kap-draft-saved', {
            bubbles: true,
            composed: true,
            detail: {
              savedAt: new Date(savedAt).toISOString(),
              expiresAt: new Date(savedAt + this.#ttlMs).toISOString(),
              instrument: this.#identity.instrument,
            },
          }));
        }
        this.flush();
      }, () => {
        this.#writing = false;
        this.#fail();
      });
  }

  #additionalData() { return new TextEncoder().encode(this.#name); }

  /** The stored draft, or null; expired, unreadable or other-definition drafts are deleted. */
  async #read({ db, key }) {
    const range = IDBKeyRange.bound(this.#recordKey.slice(0, 2), [...this.#recordKey.slice(0, 2), []]);
    const transaction = db.transaction(DRAFT_STORE, 'readwrite');
    const store = transaction.objectStore(DRAFT_STORE);
    const keys = await requestResult(store.getAllKeys(range));
    let record = null;
    for (const stored of keys) {
      if (indexedDB.cmp(stored, this.#recordKey) === 0) record = await requestResult(store.get(stored));
      else store.delete(stored); // a draft of an earlier version of this definition
    }
    await transactionDone(transaction);
    if (!record) return null;
    const now = Date.now();
    const fresh = record.expiresAt > now && record.savedAt + this.#ttlMs > now;
    let draft = null;
    if (fresh) {
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: record.iv, additionalData: this.#additionalData() }, key, record.data);
        draft = JSON.parse(new TextDecoder().decode(plain));
      } catch {
        draft = null; // written under another key (lost) or damaged: nothing to restore
      }
    }
    if (!draft || draft.content_hash !== this.#identity.content_hash) {
      await this.#delete(db);
      return null;
    }
    return draft;
  }

  /** Writes (or, with no answers or once submitted, deletes) the draft; its save time, or null. */
  async #write(draft) {
    const { db, key } = await openDraftStorage();
    if (!draft || draft.page === 'done' || Object.keys(draft.answers ?? {}).length === 0) {
      await this.#delete(db);
      return null;
    }
    const savedAt = Date.now();
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify({
      instrument: this.#identity.instrument,
      content_hash: this.#identity.content_hash,
      answers: draft.answers,
      page: draft.page,
    }));
    const data = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: this.#additionalData() }, key, plain);
    const transaction = db.transaction(DRAFT_STORE, 'readwrite');
    transaction.objectStore(DRAFT_STORE).put({ iv, data, savedAt, expiresAt: savedAt + this.#ttlMs }, this.#recordKey);
    transaction.commit?.();
    await transactionDone(transaction);
    return savedAt;
  }

  async #delete(db) {
    const transaction = db.transaction(DRAFT_STORE, 'readwrite');
    transaction.objectStore(DRAFT_STORE).delete(this.#recordKey);
    transaction.commit?.();
    await transactionDone(transaction);
  }

  /** Storage failed: the form carries on, and the patient is told once. */
  #fail() {
    if (this.#failed) return;
    this.#failed = true;
    this.#ready = false;
    try {
      if (this.#handle) this.#handle.draftsUnavailable();
    } catch {
      // The module has trapped: the crash message already stands in for the form.
    }
  }
}

/** The draft lifetime from drafts-ttl (hours, > 0), else 24 hours. */
function draftTtlHours(element) {
  const hours = Number.parseFloat(element.getAttribute('drafts-ttl') ?? '');
  return Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_TTL_HOURS;
}

class KapFormElement extends HTMLElement {
  static get observedAttributes() {
    return ['instrument', 'show-bands', 'start', 'patient-copy', 'drafts', 'drafts-ttl', 'draft-key',
      'lang'];
  }

  #handle = null;
  #generation = 0;
  #definition = null;
  #textPack = null;
  #crisisResources = null;
  #thresholds = null;
  #answersCopy = null;
  #identity = null;
  #drafts = null;
  #wasm = null;
  /**
   * The built-ins whose wording the form reads, which a change of language fetches: the
   * built-in it shows; none for a clinic's own definition, which is shown as written.
   */
  #worded = [];
  #languageRequest = 0;
  // The crash message's strings, fetched while the module works (after a crash it cannot be
  // asked); English until then.
  #texts = {
    crashTitle: 'Something went wrong with this form',
    crashBody: 'Your answers so far are safe in this browser. Download them and send the file to your clinic, or reload the page to start again.',
    crashDownload: 'Download my answers',
  };

  constructor() {
    super();
    this.addEventListener('kap-change', (event) => {
      this.#answersCopy = event.detail && event.detail.response;
    });
    this.addEventListener('kap-ready', (event) => {
      if (event.target === this) this.#identity = event.detail;
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
    const texts = this.#texts;
    const title = document.createElement('h2');
    title.textContent = texts.crashTitle;
    const text = document.createElement('p');
    text.textContent = texts.crashBody;
    panel.append(title, text);
    if (this.#answersCopy) {
      const json = JSON.stringify(this.#answersCopy, null, 2);
      const link = document.createElement('a');
      link.className = 'kf-button kf-primary';
      link.setAttribute('data-action', 'download-answers');
      // A data: URL: the file is made here, in the page, and nothing is fetched.
      link.href = `data:application/json;charset=utf-8,${encodeURIComponent(json)}`;
      link.download = 'my-answers.json';
      link.textContent = texts.crashDownload;
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

  /** The clinic's screening thresholds: { thresholdId: number } (see `kapforms rules`). */
  get thresholds() { return this.#thresholds; }
  set thresholds(value) { this.#thresholds = value ?? null; this.#rerender(); }

  /** Crisis resources for the clinic's country: { title, paragraphs: [..] }. */
  get crisisResources() { return this.#crisisResources; }
  set crisisResources(value) { this.#crisisResources = value ?? null; this.#rerender(); }

  /** The current answers as a native response object, or null while nothing is shown. */
  getResponse() { return this.#handle ? this.#handle.getResponse() : null; }

  /** Checks the answers ({valid, missing}) and shows the patient what is missing. */
  validate() { return this.#handle ? this.#handle.validate() : { valid: false, missing: [] }; }

  /** Clears every answer (and the draft, when drafts are kept). */
  reset() { if (this.#handle) this.#handle.reset(); }

  /** "local" keeps encrypted drafts on this device (the drafts attribute); "" or "off" none. */
  get drafts() { return this.getAttribute('drafts') ?? ''; }
  set drafts(value) {
    if (value) this.setAttribute('drafts', String(value));
    else this.removeAttribute('drafts');
  }

  connectedCallback() {
    liveForms.add(this);
    this.#render();
  }

  disconnectedCallback() {
    liveForms.delete(this);
    this.#generation += 1;
    this.#unmount();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    // A new language keeps the form as it is (answers, page) and only rewords it.
    if (name === 'lang' && this.#handle !== null) this.#setLanguage();
    else this.#rerender();
  }

  /** Rewords the form in its new language once that language's wording has arrived. */
  async #setLanguage() {
    const language = languageOf(this);
    const request = ++this.#languageRequest;
    const generation = this.#generation;
    let wording;
    try {
      wording = await fetchWording(this.#worded, language);
    } catch (error) {
      // The form stays as it is, in the language it was in; the host is told.
      tellLoadFailed(this, error);
      return;
    }
    if (request !== this.#languageRequest || generation !== this.#generation
      || this.#handle === null || crashed) return;
    this.#texts = this.#wasm.pageTexts(language);
    try {
      this.#handle.setLanguage(language, wording);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) crashAll(error);
      else throw error;
    }
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
      thresholds: this.#thresholds,
      showBands: this.hasAttribute('show-bands'),
      start: this.getAttribute('start') ?? '',
      patientCopy: this.getAttribute('patient-copy') ?? '',
      drafts: this.getAttribute('drafts') ?? '',
      language: languageOf(this),
    });
  }

  #rerender() { if (this.#handle !== null) this.#render(); }

  async #render() {
    const generation = ++this.#generation;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const instrument = this.getAttribute('instrument') ?? '';
    const definitionText = this.#definitionText();
    // A clinic's own definition, or a text pack, needs the bundle that validates and hashes
    // definitions; a built-in as shipped, the smaller one.
    const custom = definitionText.trim() !== '' || this.#textPack !== null;
    // A preview of the first page, while the module downloads and compiles (only before the
    // first live form: a form already shown stays until the new one replaces it). It is
    // fetched first, and the module is compiled once it has been painted.
    const preview = this.#handle === null ? previewPathFor(this, instrument, definitionText,
      [this.#definition, this.#textPack, this.#thresholds, this.#crisisResources]) : null;
    let previewShown = Promise.resolve();
    if (preview !== null) {
      const shown = fetchText(preview).then((html) => {
        if (generation === this.#generation && this.#handle === null && !crashed) {
          showPreview(root, html);
          return afterNextPaint();
        }
        return undefined;
      }, () => { /* only a preview: the form still comes */ });
      previewShown = Promise.race([shown, new Promise((resolve) => {
        setTimeout(resolve, PREVIEW_WAIT_MS);
      })]);
    }
    // With a preview on a fast connection, the module and the built-ins' files are requested
    // once the preview has been painted: their responses would otherwise arrive while the
    // preview is laid out, and handling them costs a slow phone's CPU more than a fast
    // connection's round trip costs. Otherwise (no preview, a slow connection, or a browser that
    // does not say) they are requested at once, and download while the preview comes.
    const requestsMayStart = preview !== null && fastConnection() ? previewShown : Promise.resolve();
    const kind = custom ? 'form_custom' : 'form';
    const loaded = requestsMayStart.then(() => loadModule(kind, previewShown));
    // The built-ins' files are fetched while the module downloads.
    const builtIns = builtInsFor(instrument, definitionText);
    const language = languageOf(this);
    const worded = definitionText.trim() === '' ? builtIns : [];
    const library = requestsMayStart.then(() => fetchLibrary(builtIns, worded, language));
    library.catch(() => {});
    // Styles are parsed while the module downloads (a load-failure message is styled too).
    adoptStyles(root);
    let wasm;
    let files;
    try {
      wasm = await loaded;
      files = await library;
    } catch (error) {
      if (generation === this.#generation) reportLoadFailure(this, root, error);
      return;
    }
    if (generation !== this.#generation || !this.isConnected || crashed) return;
    this.#unmount();
    const keeper = this.getAttribute('drafts') === 'local'
      ? new DraftKeeper(this, this.getAttribute('draft-key') ?? '', draftTtlHours(this))
      : null;
    try {
      this.#identity = null;
      this.#wasm = wasm;
      this.#texts = wasm.pageTexts(languageOf(this));
      this.#worded = worded;
      this.#handle = wasm.mountForm(
        this, root, instrument, definitionText, this.#options(),
        keeper ? (draft) => keeper.update(draft) : undefined, files);
      replacePreview(root);
      if (keeper && this.#identity) {
        this.#drafts = keeper;
        keeper.start(this.#handle, this.#identity);
      }
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) crashAll(error);
      else throw error;
    }
  }

  #unmount() {
    if (this.#drafts !== null) {
      this.#drafts.close();
      this.#drafts = null;
    }
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
  static get observedAttributes() { return ['controls', 'lang']; }

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
    return JSON.stringify({ patient: this.#patient, definitions: this.#definitions, language: languageOf(this) });
  }

  /** The file picker, the drop hint and the print button: not part of the printout. */
  #ensureControls(root, wasm) {
    const language = languageOf(this);
    if (this.#controls !== null && this.#controls.dataset.language !== language) {
      this.#controls.remove();
      this.#controls = null;
    }
    if (this.#controls === null) {
      const texts = wasm.pageTexts(language);
      const bar = document.createElement('div');
      bar.className = 'kr-controls';
      bar.setAttribute('part', 'controls');
      bar.dataset.language = language;
      const label = document.createElement('label');
      label.append(`${texts.openFiles} `);
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.json,application/json';
      input.multiple = true;
      input.addEventListener('change', () => { this.#addFiles(input.files); input.value = ''; });
      label.append(input);
      const hint = document.createElement('p');
      hint.className = 'kr-drop-hint';
      hint.textContent = texts.dropHint;
      const print = document.createElement('button');
      print.type = 'button';
      print.dataset.action = 'print';
      print.textContent = texts.print;
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
    const loaded = loadModule('results');
    adoptStyles(root);
    let wasm;
    try {
      wasm = await loaded;
    } catch (error) {
      reportLoadFailure(this, root, error, LOAD_FAILED[shippedLanguage(languageOf(this))][1]);
      return;
    }
    if (generation !== this.#generation || !this.isConnected) return;
    adoptResultsStyles(root, wasm);
    this.#unmount();
    this.#ensureControls(root, wasm);
    this.#handle = wasm.mountResults(this, root, this.#inputs(), this.#options());
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
