/** The contract every physical form's adapter fulfils. */
import type { TableLayout, TemplateId } from '../template/layout.js';
import type { Acceptance, Message, Section, Tables } from '../template/model.js';
import type { Source } from '../read/source.js';
import type { PartialMeta } from './meta.js';

export interface ReadContext {
  /** The template the text's words and year point to. */
  template: TemplateId;
  /** Its table layout; null for pre-2019 and unknown reports, whose tables are not read. */
  layout: TableLayout | null;
}

/** What an adapter gets out of a source; the pipeline turns it into a Report. */
export interface Reading {
  /** Metadata the form states explicitly (front matter, page header, meta tags). */
  stated: PartialMeta;
  /** The report's own text, without crawler headers or page chrome. */
  body: string;
  sections: Section[];
  tables: Tables;
  messages: Message[];
  accepted?: Acceptance[];
  /** A template the source declares outright (front matter). */
  template?: TemplateId;
}

/** Where an adapter is asked in the detection order. */
export interface DetectionAsked {
  /** The best score of the adapters asked before (0 when none scored). */
  toBeat: number;
  /** No adapter is asked after this one. */
  last: boolean;
}

export interface Adapter {
  id: string;
  /** Chinese name of the form, for messages. */
  name: string;
  /**
   * How sure the adapter is that the source is its form: 0 (not at all) to 1.
   * With `asked`, the costly part of detection may be skipped where its outcome
   * cannot change the choice: a score not above `toBeat` (the best score of the
   * adapters asked before) may be given as any score not above it; and when no
   * adapter is asked after this one (`last`), a score above it as any score above it.
   */
  detect(source: Source, asked?: DetectionAsked): number;
  /**
   * Loads what `read` needs that is slow to load (a parser library), once
   * per process, so that a run loads nothing for the forms it does not read:
   * what reading `source` needs, or without one, what any source of the form
   * may need. Awaited before `read` (parseReport, prepareSource); detection
   * never needs it.
   */
  prepare?(source?: Source): Promise<void>;
  read(source: Source, context: ReadContext): Reading;
}

/** What `read` throws when called before `prepare` loaded a library it needs: a caller's mistake, never the input's. */
export function notPrepared(form: string, library: string): Error {
  return new Error(`读取“${form}”所需的 ${library} 未加载（应先调用 prepare）`);
}
