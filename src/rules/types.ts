/**
 * A rule: a small module with its id, severity, Chinese explanation, basis,
 * a check that returns positioned messages, and its own passing and failing
 * examples (run by the tests, shown on the site's rule page).
 */
import type { Message, Report, Severity } from '../template/model.js';

export type Basis = 'printed' | 'structural' | 'definitional' | 'official' | 'plausibility' | 'convention' | 'none';

/** A finding as check, build and the site report it. */
export interface Finding extends Message {
  file: string;
  /** Stable across runs and unrelated edits: rule, file identity and cells. */
  fingerprint: string;
}

export interface RuleExample {
  /** What the example shows, in Chinese. */
  title: string;
  /** A report in nianbao's Markdown authoring form (may hold only the tables concerned). */
  markdown: string;
  /** For cross-report rules: last year's report of the same body, in the same form. */
  previous?: string;
  /** For cross-report rules: further reports checked together (e.g. the parts of a combined report). */
  others?: string[];
}

interface RuleBase {
  id: string;
  severity: Severity;
  /** Short Chinese name. */
  title: string;
  /** Chinese explanation of what the rule checks and why. */
  description: string;
  basis: Basis;
  /** The basis in words (the printed note, the article of the notice …). */
  basisText: string;
  examples: { pass: RuleExample[]; fail: RuleExample[] };
  /** Reading messages this rule's findings make redundant (e.g. section-missing for `sections`). */
  supersedes?: string[];
}

export interface ReportRule extends RuleBase {
  scope: 'report';
  check(report: Report): Message[];
}

/** Rules over a body's reports across years (or over every report, for `aggregate`). */
export interface CollectionRule extends RuleBase {
  scope: 'collection';
  /**
   * The rule compares only consecutive years of one body (bodies.ts
   * consecutivePairs): run over any set of whole bodies, it finds of their
   * reports what it finds run over all reports, so check runs it body by
   * body as the reports come in (body-checks.ts).
   */
  withinBody?: true;
  /** Messages keyed by the file they belong to. */
  check(reports: readonly Report[]): { file: string; message: Message }[];
}

export type Rule = ReportRule | CollectionRule;
