/**
 * The order of findings: by file, then line and column, as checkReports
 * gives them and every output lists them; within a report, as its pages
 * list them; and findings grouped by file.
 */
import type { Finding } from './types.js';

const byPosition = (a: Finding, b: Finding) => a.line - b.line || a.column - b.column;
const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/**
 * The findings sorted by file, then line and column, keeping their order
 * otherwise (the sort is stable): the order checkReports gives them. When
 * no two reports share a file, the reports sorted by file and each one's
 * findings (`byReport`, by place in `files`) by position give the same order
 * without comparing every finding's file name.
 */
export function inFileOrder(files: readonly string[], byReport: Finding[][]): Finding[] {
  const order = files.map((file, index) => ({ file, index })).sort(byFile);
  if (order.some((entry, k) => k > 0 && entry.file === order[k - 1]!.file))
    return byReport.flat().sort((a, b) => byFile(a, b) || byPosition(a, b));
  const findings: Finding[] = [];
  for (const { index } of order) for (const finding of byReport[index]!.sort(byPosition)) findings.push(finding);
  return findings;
}

/** The findings grouped by file, in their order; the files of `files` first, in that order, each with a list (maybe empty). */
export function findingsByFile(findings: readonly Finding[], files: readonly string[] = []): Map<string, Finding[]> {
  const grouped = new Map<string, Finding[]>(files.map((file) => [file, []]));
  for (const finding of findings) {
    const list = grouped.get(finding.file);
    if (list) list.push(finding);
    else grouped.set(finding.file, [finding]);
  }
  return grouped;
}

/** Findings of one report as its pages list them: by place, then rule, message and cells. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.line - b.line ||
    a.column - b.column ||
    localeOrder(a.ruleId, b.ruleId) ||
    localeOrder(a.message, b.message) ||
    localeOrder((a.cells ?? []).join(), (b.cells ?? []).join())
  );
}

/** localeCompare, which is 0 for equal texts: those (most of the rule ids compared) are told without asking ICU. */
function localeOrder(a: string, b: string): number {
  return a === b ? 0 : a.localeCompare(b);
}

/** A report's findings in page order (compareFindings), as a new list. */
export function inPageOrder(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}
