/**
 * What the Markdown forms and the Markdown writer share about tables: cell
 * references, the labels of table 四's rows, header-to-column matching and
 * section headings recognised by their meaning.
 */
import {
  requestColumns,
  reviewColumns,
  reviewGroups,
  sections as sectionDefs,
  type ActiveRowDef,
  type LabelDef,
  type RequestRowDef,
  type TableLayout,
} from '../template/layout.js';
import { matchLabel, matchRowLabel, normaliseLabel } from '../template/labels.js';
import type { Tables } from '../template/model.js';

/** `requests.newReceived.total`, `active.fees.amount`, `review.reconsideration.upheld`. */
export function cellRef(table: keyof Tables, row: string, column: string): string {
  return `${table}.${row}.${column}`;
}

/** Every cell reference of a layout, in table order. */
export function allCellRefs(layout: TableLayout): string[] {
  return [
    ...layout.activeRows.flatMap((row) => row.columns.map((c) => cellRef('active', row.key, c.key))),
    ...layout.requestRows.flatMap((row) => requestColumns.map((c) => cellRef('requests', row.key, c.key))),
    ...reviewGroups.flatMap((g) => reviewColumns.map((c) => cellRef('review', g.key, c.key))),
  ];
}

/** Finds a table-四 group in 行政诉讼·复议后起诉, 行政诉讼（复议后起诉）, 复议后起诉 … */
export function matchReviewGroup(text: string): (typeof reviewGroups)[number] | undefined {
  const wanted = normaliseLabel(text).replace(/[·•・.。（）\-—_]/g, '');
  return reviewGroups.find((g) => wanted === g.label || (g.parent !== null && wanted === g.parent + g.label));
}

/** A label without a trailing bracketed note or unit: 本年收费金额（单位：万元） → 本年收费金额. */
function core(text: string): string {
  return normaliseLabel(text).replace(/（[^（）]*）$/, '');
}

/** Matches a column header to a column definition, tolerating a dropped unit note. */
export function matchColumn<T extends LabelDef>(defs: readonly T[], header: string): T | undefined {
  if (normaliseLabel(header) === '') return undefined;
  return matchLabel(defs, header) ?? defs.find((def) => core(def.label) === core(header));
}

const NUMERAL_PREFIX = /^(?:第?[一二三四五六七八九十]+(?:部分)?[、.．：:\s]*|\d+[、.．]\s*)/;

/**
 * The index (in layout order) of the section a heading names by its meaning,
 * looking only at sections after `after`; -1 when it names none of them.
 */
export function sectionByMeaning(heading: string, after: number): number {
  const words = normaliseLabel(heading).replace(NUMERAL_PREFIX, '');
  return sectionDefs.findIndex((def, index) => index > after && def.keywords.some((k) => words.includes(k)));
}

/**
 * A label matcher that remembers its answers: documents repeat the same
 * labels, and matching normalises every template label on each call.
 */
export function rememberingMatcher<T>(match: (label: string) => T, limit = 5000): (label: string) => T {
  const answers = new Map<string, T>();
  return (label) => {
    if (answers.has(label)) return answers.get(label) as T;
    const answer = match(label);
    if (answers.size >= limit) answers.clear();
    answers.set(label, answer);
    return answer;
  };
}

export interface LayoutMatchers {
  requestRow: (label: string) => RequestRowDef | undefined;
  activeRow: (label: string) => ActiveRowDef | undefined;
  reviewGroup: (label: string) => (typeof reviewGroups)[number] | undefined;
}

const matchersByLayout = new WeakMap<TableLayout, LayoutMatchers>();

/** Row matchers of a layout, built once. */
export function layoutMatchers(layout: TableLayout): LayoutMatchers {
  let matchers = matchersByLayout.get(layout);
  if (!matchers) {
    matchers = {
      requestRow: rememberingMatcher((label) => matchRowLabel(layout.requestRows, label)),
      activeRow: rememberingMatcher((label) => matchLabel(layout.activeRows, label)),
      reviewGroup: rememberingMatcher(matchReviewGroup),
    };
    matchersByLayout.set(layout, matchers);
  }
  return matchers;
}
