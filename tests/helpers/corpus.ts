/** Access to the corpus fixtures and their hand-read truth. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseReport } from '../../src/parse/index.js';
import type { Report } from '../../src/template/model.js';
import { toReportJson, type ReportJson } from '../../src/template/schema.js';

export const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const corpusDir = join(fixtures, 'corpus');

export interface Truth {
  file: string;
  year: number;
  agency: string;
  template: '2021' | '2019';
  requests: Record<'newReceived' | 'carriedOver' | 'granted' | 'partialGrant' | 'total' | 'carriedForward', (number | null)[]>;
  review: (number | null)[];
  active: Record<'regulationsIssued' | 'normativeIssued' | 'licensing' | 'penalty' | 'coercion' | 'fees', number | null>;
  ambiguousOk?: string[];
}

export function corpusFile(id: string): string {
  const name = readdirSync(join(corpusDir, 'reports')).find((f) => f.startsWith(`${id}-`));
  if (!name) throw new Error(`no corpus report ${id}`);
  return join(corpusDir, 'reports', name);
}

export function truthIds(): string[] {
  return readdirSync(join(corpusDir, 'truth'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function truth(id: string): Truth {
  return JSON.parse(readFileSync(join(corpusDir, 'truth', `${id}.json`), 'utf8')) as Truth;
}

export async function parseFixture(path: string): Promise<Report> {
  const result = await parseReport(path, readFileSync(path));
  if (!result.ok) throw new Error(`${path}: ${result.error.message}`);
  return result.report;
}

export async function parseCorpus(id: string): Promise<{ report: Report; json: ReportJson }> {
  const report = await parseFixture(corpusFile(id));
  return { report, json: toReportJson(report) };
}

const truthRows = {
  newReceived: 'newReceived',
  carriedOver: 'carriedOver',
  granted: 'granted',
  partialGrant: 'partiallyGranted',
  total: 'totalProcessed',
  carriedForward: 'carriedForward',
} as const;

/** The report's figures in the truth file's shape, for a one-assertion comparison. */
export function asTruthShape(json: ReportJson, template: '2021' | '2019'): Pick<Truth, 'requests' | 'review' | 'active'> {
  const tables = json.tables as {
    active: Record<string, unknown> | null;
    requests: Record<string, (number | null)[]> | null;
    review: Record<string, Record<string, number | null>> | null;
  };
  const requests = Object.fromEntries(
    Object.entries(truthRows).map(([truthKey, key]) => [truthKey, tables.requests?.[key] ?? null]),
  ) as Truth['requests'];
  const review = tables.review ? Object.values(tables.review).flatMap((g) => Object.values(g)) : [];
  const active = tables.active ?? {};
  const value = (v: unknown): number | null => (v === null || v === undefined ? null : typeof v === 'string' ? Number(v) : (v as number));
  const field = (row: string, col: string): unknown => (active[row] as Record<string, unknown> | undefined)?.[col];
  const stockColumn = template === '2021' ? 'issued' : 'made';
  const single = (row: string): unknown => (template === '2021' ? active[row] : field(row, 'decisions'));
  return {
    requests,
    review,
    active: {
      regulationsIssued: value(field('regulations', stockColumn)),
      normativeIssued: value(field('normativeDocuments', stockColumn)),
      licensing: value(single('licensing')),
      penalty: value(single('penalties')),
      coercion: value(single('coercion')),
      fees: template === '2021' ? value(active.fees) : null,
    },
  };
}
