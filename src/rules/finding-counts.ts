/**
 * Findings counted: how many of each severity (accepted ones apart), which
 * every count check and build print comes from, and how many of each rule,
 * which lists of reports show. A rebuild takes these of the reports it did
 * not check again from the check memo (site/check-memo.ts), without their
 * findings.
 */
import type { Finding } from './types.js';

/** Findings that stand, by severity, and those accepted. */
export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
  accepted: number;
}

/** A report's (or a site's) findings counted: by severity, and by rule id (sorted). */
export interface FindingsSummary {
  counts: SeverityCounts;
  byRule: [ruleId: string, count: number][];
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let accepted = 0;
  for (const f of findings) {
    if (f.accepted !== undefined) accepted++;
    else if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos, accepted };
}

function byId(a: [string, number], b: [string, number]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

export function summaryOf(findings: readonly Finding[]): FindingsSummary {
  const byRule = new Map<string, number>();
  for (const f of findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  return { counts: countBySeverity(findings), byRule: [...byRule].sort(byId) };
}

/** Counts summed. */
export function sumOfCounts(all: Iterable<SeverityCounts>): SeverityCounts {
  const sum: SeverityCounts = { errors: 0, warnings: 0, infos: 0, accepted: 0 };
  for (const counts of all) {
    sum.errors += counts.errors;
    sum.warnings += counts.warnings;
    sum.infos += counts.infos;
    sum.accepted += counts.accepted;
  }
  return sum;
}

/** The summaries summed: the counts of all their findings together. */
export function summaryOfAll(summaries: readonly FindingsSummary[]): FindingsSummary {
  const byRule = new Map<string, number>();
  for (const summary of summaries) for (const [ruleId, count] of summary.byRule) byRule.set(ruleId, (byRule.get(ruleId) ?? 0) + count);
  return { counts: sumOfCounts(summaries.map((summary) => summary.counts)), byRule: [...byRule].sort(byId) };
}
