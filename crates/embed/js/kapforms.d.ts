// Types of the <kap-form> and <kap-results> custom elements defined by kapforms.js.

/** A native response, format "kapforms-response", schema version 1 (see schema/response.schema.json). */
export interface KapResponse {
  format: 'kapforms-response';
  schema_version: 1;
  instrument: { id: string; version: string; content_hash: string };
  status: 'in-progress' | 'completed';
  /** The language the patient read the form in (`en`, `es`); answers do not depend on it. */
  language?: string;
  started_at?: string;
  updated_at: string;
  completed_at?: string;
  /** Answers by item id: an option code, a list of codes, a boolean, a number, or text/date. */
  answers: Record<string, string | string[] | boolean | number>;
  scores: Array<{
    id: string;
    label: string;
    rule: 'sum' | 'mean' | 'count';
    instrument: string;
    value: number;
    min: number;
    max: number;
    answered: number;
    counted: number;
    complete: boolean;
    missing?: string[];
    prorated?: boolean;
    band?: string;
    /** `false` when the score's questions were withheld (licensed wording not supplied). */
    available?: false;
  }>;
  flags: Array<{
    id: string;
    label: string;
    severity: 'safety' | 'exclude_pending_review' | 'medical_clearance' | 'monitor' | 'info';
    items: string[];
    details?: string[];
  }>;
  /** The clinic's threshold values the flags were raised with (absent: all defaults). */
  thresholds?: Record<string, number>;
  /** Sections not asked because the clinic has not supplied their licensed wording. */
  withheld_sections?: string[];
}

/** `{valid, missing}`: the ids of visible required questions still unanswered. */
export interface KapValidity { valid: boolean; missing: string[] }

export interface KapReadyDetail { instrument: string; version: string; content_hash: string }
export interface KapResponseDetail { response: KapResponse }
/** `kap-submit` also carries the FHIR R4 QuestionnaireResponse of the same answers. */
export interface KapSubmitDetail extends KapResponseDetail { fhir: Record<string, unknown> }
export interface KapErrorDetail { code: string; message: string; details: string[] }
/** `kap-draft-saved` (only with `drafts="local"`): an encrypted draft was written on this
 *  device. Times are ISO 8601; the detail never holds answers. */
export interface KapDraftSavedDetail { savedAt: string; expiresAt: string; instrument: string }
/** `kap-page`, after the patient moves to another page: which page, the section shown (its
 *  id, on a section page), and the step the patient sees ("Step `index` of `count`"; 0 on the
 *  start page, `count` on review and done). */
export interface KapPageDetail {
  page: 'start' | 'section' | 'review' | 'done';
  section: string | null;
  index: number;
  count: number;
}

/** Crisis resources replacing the default (US) ones. */
export interface KapCrisisResources { title: string; paragraphs: string[] }

export interface KapFormElement extends HTMLElement {
  /** A clinic's own kapforms definition; overrides the `instrument` attribute. */
  definition: object | null;
  /** Licensed wording for a skeleton: { itemId: text, "itemId/code": label }. */
  textPack: Record<string, string> | null;
  /** The clinic's values of configurable screening thresholds: { thresholdId: number }. */
  thresholds: Record<string, number> | null;
  crisisResources: KapCrisisResources | null;
  /** Reflects the `drafts` attribute: `"local"` keeps an encrypted draft of the answers and the
   *  page on this device (IndexedDB, AES-GCM with a non-extractable key), restored after a
   *  reload or a browser restart, deleted on submit, by "Clear my answers", by `reset()` and
   *  after `drafts-ttl` hours (default 24). `draft-key` separates two forms of the same
   *  questionnaire on one site. Without it nothing is stored. */
  drafts: '' | 'off' | 'local';
  getResponse(): KapResponse | null;
  validate(): KapValidity;
  reset(): void;
}

export interface KapFormEventMap {
  'kap-ready': CustomEvent<KapReadyDetail>;
  'kap-change': CustomEvent<KapResponseDetail>;
  'kap-page': CustomEvent<KapPageDetail>;
  'kap-validity': CustomEvent<KapValidity>;
  'kap-submit': CustomEvent<KapSubmitDetail>;
  'kap-error': CustomEvent<KapErrorDetail>;
  'kap-draft-saved': CustomEvent<KapDraftSavedDetail>;
}

/** Identifying fields of the patient, shown in the clinician view's header and printout. */
export interface KapResultsPatient { name?: string; dateOfBirth?: string; id?: string }

/** `kap-ready` on `<kap-results>`: what was read, what needs checking (by source: "page",
 *  "page 2", or a file name), and how many flags of each severity were raised. */
export interface KapResultsReadyDetail {
  responses: number;
  mismatched: string[];
  unknownDefinition: string[];
  differentDefinition: string[];
  unreadable: string[];
  flags: Record<'safety' | 'exclude_pending_review' | 'medical_clearance' | 'monitor' | 'info', number>;
}

/** The clinician's view: every response re-scored, flags first, trends, every answer. Add
 *  `controls="off"` to hide the file picker, drop zone and print button. */
export interface KapResultsElement extends HTMLElement {
  /** Native responses or FHIR R4 QuestionnaireResponses, as objects or JSON text. */
  responses: Array<KapResponse | Record<string, unknown> | string>;
  patient: KapResultsPatient | null;
  /** A clinic's own kapforms definitions, for responses to them. */
  definitions: object[] | null;
  /** Forgets the files the clinician opened or dropped. */
  clearFiles(): void;
}

/** Events of `<kap-results>` (its `kap-ready` detail differs from `<kap-form>`'s). */
export interface KapResultsEventMap {
  'kap-ready': CustomEvent<KapResultsReadyDetail>;
  'kap-error': CustomEvent<KapErrorDetail>;
}

declare global {
  interface HTMLElementTagNameMap { 'kap-form': KapFormElement; 'kap-results': KapResultsElement }
  interface HTMLElementEventMap extends KapFormEventMap {}
}
