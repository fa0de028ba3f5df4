/**
 * A synthetic corpus for the benchmark: the seed report's text with its
 * figures replaced by consistent ones (every sum holds, carry-over chains
 * across each body's years, stock and flow of documents agree), for N reports.
 */
import { applicantColumnKeys, layouts, requestColumns, reviewColumns, reviewGroups } from '../template/layout.js';
import type { Cell, Report } from '../template/model.js';

/** Deterministic PRNG (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const layout = layouts['2021'];
const resultRows = layout.requestRows.filter((r) => r.role === 'result').map((r) => r.key);

interface Figures {
  requests: Record<string, number[]>;
  review: number[];
  active: Record<string, number[]>;
}

function nextYear(rand: () => number, previous: Figures | null): Figures {
  const int = (max: number) => Math.floor(rand() * (max + 1));
  const requests: Record<string, number[]> = {};
  const columns = applicantColumnKeys.length;
  for (const key of resultRows) requests[key] = Array.from({ length: columns }, () => (rand() < 0.6 ? 0 : int(40)));
  const carriedOver = previous ? (previous.requests.carriedForward ?? []).slice(0, columns) : Array(columns).fill(0);
  const carriedForward = Array.from({ length: columns }, () => int(5));
  const totalProcessed = Array.from({ length: columns }, (_, c) => resultRows.reduce((s, k) => s + (requests[k]?.[c] ?? 0), 0));
  // New requests follow from the printed balance; results grow where that would go negative.
  const newReceived = totalProcessed.map((t, c) => {
    const needed = t + (carriedForward[c] ?? 0) - (carriedOver[c] ?? 0);
    if (needed >= 0) return needed;
    const granted = requests.granted as number[];
    granted[c] = (granted[c] ?? 0) - needed;
    totalProcessed[c] = t - needed;
    return 0;
  });
  Object.assign(requests, { newReceived, carriedOver, totalProcessed, carriedForward });
  for (const row of Object.values(requests)) row[columns] = row.slice(0, columns).reduce((a, b) => a + b, 0);
  const review = reviewGroups.flatMap(() => {
    const parts = [int(9), int(3), int(3), int(2)];
    return [...parts, parts.reduce((a, b) => a + b, 0)];
  });
  const stock = (key: string) => {
    const before = previous?.active[key]?.[2] ?? int(300);
    const issued = int(60);
    const repealed = Math.min(before, int(30));
    return [issued, repealed, before + issued - repealed];
  };
  const active = {
    regulations: stock('regulations'),
    normativeDocuments: stock('normativeDocuments'),
    licensing: [int(20000)],
    penalties: [int(5000)],
    coercion: [int(300)],
  };
  return { requests, review, active };
}

/** Every number cell of a report in reading order, with the figure that replaces it. */
function replacements(report: Report, figures: Figures): { cell: Cell; value: string }[] {
  const out: { cell: Cell; value: string }[] = [];
  for (const row of layout.activeRows) {
    const values = figures.active[row.key];
    if (!values) continue;
    row.columns.forEach((col, i) => {
      const cell = report.tables.active?.[row.key]?.[col.key];
      if (cell) out.push({ cell, value: String(values[i]) });
    });
  }
  for (const row of layout.requestRows) {
    requestColumns.forEach((_, i) => {
      const cell = report.tables.requests?.[row.key]?.[i];
      if (cell) out.push({ cell, value: String(figures.requests[row.key]?.[i]) });
    });
  }
  reviewGroups.forEach((g, gi) =>
    reviewColumns.forEach((c, ci) => {
      const cell = report.tables.review?.[g.key]?.[c.key];
      if (cell) out.push({ cell, value: String(figures.review[gi * reviewColumns.length + ci]) });
    }),
  );
  return out;
}

export interface GeneratedReport {
  body: string;
  year: number;
  text: string;
}

/**
 * `count` reports over bodies of five years each (2021–2025). `seed` is the
 * parsed seed report and `seedText` its text: each cell's line is rewritten.
 */
export function* generateCorpus(count: number, seed: Report, seedText: string): Generator<GeneratedReport> {
  const rand = seededRandom(count);
  const seedLines = seedText.split('\n');
  const agency = seed.meta.agency ?? '';
  const seedYear = String(seed.meta.year ?? '');
  let produced = 0;
  for (let body = 0; produced < count; body++) {
    const name = `示例县第${body + 1}局`;
    let previous: Figures | null = null;
    for (let year = 2021; year <= 2025 && produced < count; year++, produced++) {
      const figures = nextYear(rand, previous);
      previous = figures;
      const lines = seedLines.map((line) => line.replaceAll(agency, name).replaceAll(`${seedYear}年`, `${year}年`));
      for (const { cell, value } of replacements(seed, figures)) {
        const at = cell.position;
        if (!at) continue;
        const line = lines[at.line - 1] ?? '';
        lines[at.line - 1] = line.slice(0, at.column - 1) + value + line.slice(at.column - 1 + cell.text.length);
      }
      yield { body: name, year, text: lines.join('\n') };
    }
  }
}
