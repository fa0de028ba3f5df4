/**
 * Which reports belong to the same body. The content layout
 * `<body>/<year>.<ext>` says so outright; otherwise the stated agency, in a
 * normal form (no spaces, no bracketed notes such as （办公室）).
 */
import type { Report } from '../template/model.js';

const PATH_CONVENTION = /(?:^|\/)([^/]+)\/(\d{4})(?:\.[^./]+)+$/;

export function normaliseAgency(name: string): string {
  return name.replace(/[（(][^）)]*[）)]/g, '').replace(/[\s\u3000]+/g, '');
}

/** A stable key of the body a report belongs to. */
export function bodyKey(report: Report): string {
  // Within a check several rules and the runner ask for every report's key: worked out once per report.
  if (checking === null) return bodyKeyOf(report);
  let key = checking.bodies.get(report);
  if (key === undefined) checking.bodies.set(report, (key = bodyKeyOf(report)));
  return key;
}

/**
 * The key of the body a file belongs to by the content layout alone, or
 * null when its path does not follow it: known before the file is read,
 * and never the key of a report placed otherwise (those are keyed by
 * agency or file).
 */
export function pathBodyKey(file: string): string | null {
  const byPath = PATH_CONVENTION.exec(file.replace(/\\/g, '/'));
  return byPath ? `path:${byPath[1]}` : null;
}

function bodyKeyOf(report: Report): string {
  const byPath = pathBodyKey(report.file);
  if (byPath) return byPath;
  if (report.meta.agency) return `agency:${normaliseAgency(report.meta.agency)}`;
  return `file:${report.file}`;
}

/** The year of a report: stated, or from the path convention. */
export function reportYear(report: Report): number | null {
  if (report.meta.year !== null) return report.meta.year;
  const byPath = PATH_CONVENTION.exec(report.file.replace(/\\/g, '/'));
  return byPath ? Number(byPath[2]) : null;
}

/** Reports grouped by body, each group sorted by year; reports without a year are left out. */
export function byBody(reports: readonly Report[]): Map<string, Report[]> {
  const groups = new Map<string, Report[]>();
  for (const report of reports) {
    if (reportYear(report) === null) continue;
    const key = bodyKey(report);
    const group = groups.get(key);
    if (group) group.push(report);
    else groups.set(key, [report]);
  }
  for (const group of groups.values()) group.sort((a, b) => (reportYear(a) ?? 0) - (reportYear(b) ?? 0));
  return groups;
}

/**
 * The list the cross-report rules are checking together, its pairs and its
 * reports' body keys once made: the rules all ask for the same ones. Set for the length of one
 * check (a WeakMap keyed by the list cost more than the pairs of a short list).
 */
let checking: { reports: readonly Report[]; pairs: [Report, Report][] | null; bodies: Map<Report, string> } | null = null;

/** Runs `check` with the pairs of `reports` made at most once. */
export function withPairsOf<T>(reports: readonly Report[], check: () => T): T {
  const outer = checking;
  checking = { reports, pairs: null, bodies: new Map() };
  try {
    return check();
  } finally {
    checking = outer;
  }
}

/** Pairs of (last year, this year) of the same body; no pairing across a missing year. */
export function consecutivePairs(reports: readonly Report[]): [Report, Report][] {
  if (checking !== null && checking.reports === reports) return (checking.pairs ??= pairsOf(reports));
  return pairsOf(reports);
}

function pairsOf(reports: readonly Report[]): [Report, Report][] {
  const pairs: [Report, Report][] = [];
  for (const group of byBody(reports).values()) {
    for (let i = 1; i < group.length; i++) {
      const previous = group[i - 1] as Report;
      const current = group[i] as Report;
      if (reportYear(current) === (reportYear(previous) ?? NaN) + 1) pairs.push([previous, current]);
    }
  }
  return pairs;
}
