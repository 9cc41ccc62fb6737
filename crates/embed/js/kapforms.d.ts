// Types of the <kap-form> custom element defined by kapforms.js.

/** A native response, format "kapforms-response", schema version 1 (see schema/response.schema.json). */
export interface KapResponse {
  format: 'kapforms-response';
  schema_version: 1;
  instrument: { id: string; version: string; content_hash: string };
  status: 'in-progress' | 'completed';
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
  }>;
  flags: Array<{
    id: string;
    label: string;
    severity: 'safety' | 'exclude_pending_review' | 'medical_clearance' | 'monitor' | 'info';
    items: string[];
  }>;
}

/** `{valid, missing}`: the ids of visible required questions still unanswered. */
export interface KapValidity { valid: boolean; missing: string[] }

export interface KapReadyDetail { instrument: string; version: string; content_hash: string }
export interface KapResponseDetail { response: KapResponse }
/** `kap-submit` also carries the FHIR R4 QuestionnaireResponse of the same answers. */
export interface KapSubmitDetail extends KapResponseDetail { fhir: Record<string, unknown> }
export interface KapErrorDetail { code: string; message: string; details: string[] }

/** Crisis resources replacing the default (US) ones. */
export interface KapCrisisResources { title: string; paragraphs: string[] }

export interface KapFormElement extends HTMLElement {
  /** A clinic's own kapforms definition; overrides the `instrument` attribute. */
  definition: object | null;
  /** Licensed wording for a skeleton: { itemId: text, "itemId/code": label }. */
  textPack: Record<string, string> | null;
  crisisResources: KapCrisisResources | null;
  getResponse(): KapResponse | null;
  validate(): KapValidity;
  reset(): void;
}

export interface KapFormEventMap {
  'kap-ready': CustomEvent<KapReadyDetail>;
  'kap-change': CustomEvent<KapResponseDetail>;
  'kap-validity': CustomEvent<KapValidity>;
  'kap-submit': CustomEvent<KapSubmitDetail>;
  'kap-error': CustomEvent<KapErrorDetail>;
}

declare global {
  interface HTMLElementTagNameMap { 'kap-form': KapFormElement }
  interface HTMLElementEventMap extends KapFormEventMap {}
}
