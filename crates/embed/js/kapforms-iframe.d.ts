// Types of kapforms-iframe.js, the parent page's side of kapforms' iframe mode.
import type { KapResponse, KapValidity } from './kapforms.js';

export interface EmbedFormOptions {
  /** The URL of kapforms' embed.html. */
  src: string;
  /** A built-in instrument id. */
  instrument: string;
  lang?: string;
  start?: 'show' | 'skip';
  patientCopy?: 'off';
  showBands?: boolean;
  /** The iframe's accessible name (default "Questionnaire"). */
  title?: string;
  /** The origins the form may talk to (default: this page's origin). */
  allowOrigin?: string | string[];
}

/** The iframe dispatches the form's events (`kap-ready`, `kap-change`, `kap-page`,
 *  `kap-validity`, `kap-submit`, `kap-error`, ...) with the same `detail` as `<kap-form>`,
 *  and `kap-resize` (`{height}`) after it resized itself to the form. */
export interface EmbeddedForm {
  iframe: HTMLIFrameElement;
  getResponse(): Promise<KapResponse | null>;
  validate(): Promise<KapValidity>;
  reset(): Promise<null>;
  /** Stops listening and removes the iframe. */
  remove(): void;
}

export function embedForm(container: Element, options: EmbedFormOptions): EmbeddedForm;
