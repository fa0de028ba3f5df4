/** The crawled flat-text form on the real corpus files and minimally changed copies of them. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { flatText } from '../src/parse/flat-text.js';
import { parseReport } from '../src/parse/index.js';
import { Source } from '../src/read/source.js';
import type { Cell, Report } from '../src/template/model.js';
import { corpusFile } from './helpers/corpus.js';

const original = (id: string) => readFileSync(corpusFile(id), 'utf8');

async function parseText(id: string, text: string): Promise<Report> {
  const result = await parseReport(corpusFile(id), new TextEncoder().encode(text));
  if (!result.ok) throw new Error(result.error.message);
  expect(result.report.form).toBe('flat-text');
  return result.report;
}

/** A copy of a corpus report with one printed string replaced (which must occur exactly once). */
function changed(id: string, from: string, to: string): string {
  const text = original(id);
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

/** 1-based line and column of the first occurrence of `needle` after `after`. */
function placeOf(text: string, needle: string, after = ''): { line: number; column: number } {
  const offset = text.indexOf(needle, after ? text.indexOf(after) + after.length : 0);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

const values = (cells: Cell[] | undefined) => cells?.map((c) => (c.state === 'number' ? c.value : c.state));

describe('detect', () => {
  const score = (id: string) => flatText.detect(new Source(corpusFile(id), original(id)));

  test('claims crawled page text, reports and legacy pages alike', () => {
    for (const id of ['001', '004', '005', '006', '008', '016']) expect(score(id)).toBeGreaterThanOrEqual(0.9);
  });

  test('table rows glued to their digits are enough without the crawler header', () => {
    const text = original('001');
    const body = text.slice(text.indexOf('==================== 正文 ====================') + 46);
    expect(flatText.detect(new Source('page.txt', body))).toBeGreaterThan(0.5);
  });

  test('leaves the seed, PDF text, Markdown and HTML alone', () => {
    for (const id of ['000', '009', '010', '020', '011', '014']) expect(score(id)).toBe(0);
  });
});

describe('001 (cells run together)', () => {
  test('cells carry their true line and column', async () => {
    const text = original('001');
    const report = await parseText('001', text);
    const row = report.tables.requests?.newReceived;
    expect(values(row)).toEqual([151, 3, 0, 0, 0, 0, 154]);
    const start = placeOf(text, '15130000154');
    expect(row?.[0]?.position).toEqual(start);
    expect(row?.[1]?.position).toEqual({ line: start.line, column: start.column + 3 });
    expect(row?.[6]?.position).toEqual({ line: start.line, column: start.column + 8 });
    const review = report.tables.review?.reconsideration;
    expect(review?.total?.value).toBe(36);
    expect(review?.total?.position).toEqual({ line: start.line, column: placeOf(text, '25380363300630003').column + 5 });
  });

  test('an item number stuck to the digits belongs to the next label', async () => {
    const text = original('001');
    const report = await parseText('001', text);
    // …1.本机关不掌握相关政府信息4910000502.没有现成信息需要另行制作…
    expect(values(report.tables.requests?.['unavailable.notHeld'])).toEqual([49, 1, 0, 0, 0, 0, 50]);
    expect(values(report.tables.requests?.['unavailable.needsCreation'])).toEqual([3, 0, 0, 0, 0, 0, 3]);
    const total = report.tables.requests?.['unavailable.notHeld']?.[6];
    expect(total?.text).toBe('50');
    expect(total?.position).toEqual({ ...placeOf(text, '4910000502.'), column: placeOf(text, '4910000502.').column + 7 });
  });

  test('labels with stray spaces are found (社会公益 组织, 三、本年度办 理结果)', async () => {
    const report = await parseText('001', original('001'));
    expect(values(report.tables.requests?.granted)).toEqual([33, 0, 0, 0, 0, 0, 33]);
    expect(report.messages.filter((m) => m.ruleId === 'row-missing' || m.ruleId === 'cell-unread')).toEqual([]);
  });

  test('table 二: the fee keeps its decimals; the three-cell row with no relation is ambiguous', async () => {
    const report = await parseText('001', original('001'));
    expect(report.tables.active?.fees?.amount).toMatchObject({ state: 'number', text: '4166.241619' });
    expect(report.tables.active?.regulations?.issued).toMatchObject({ state: 'number', value: 0 });
    const issued = report.tables.active?.normativeDocuments?.issued;
    expect(issued?.state).toBe('ambiguous');
    expect(issued?.candidates).toContain(58);
    const message = report.messages.find((m) => m.cells?.includes('active.normativeDocuments.issued'));
    expect(message).toMatchObject({ ruleId: 'cell-ambiguous', severity: 'warning', ...placeOf(original('001'), '5845546') });
  });

  test('sections are found and the tables are cut out of their text', async () => {
    const report = await parseText('001', original('001'));
    expect(report.sections.map((s) => s.id)).toEqual(['overview', 'active', 'requests', 'review', 'problems', 'other']);
    const requests = report.sections.find((s) => s.id === 'requests');
    expect(requests?.text).not.toContain('15130000154');
    expect(report.sections.find((s) => s.id === 'other')?.text).toContain('无收取信息处理费');
    expect(report.meta).toMatchObject({ year: 2025, published: '2026-03-10' });
    expect(report.meta.agency).toContain('平潭综合实验区');
  });
});

describe('ambiguous splits are reported, never chosen', () => {
  test('a review row with two readings that satisfy every sum (001, first group changed)', async () => {
    const text = changed('001', '25380363300630003', '11000113300630003');
    const report = await parseText('001', text);
    const group = report.tables.review?.reconsideration;
    expect(group?.upheld).toMatchObject({ state: 'ambiguous', value: null, candidates: [1, 11] });
    expect(group?.corrected).toMatchObject({ state: 'ambiguous', value: null, candidates: [0, 10] });
    expect(group?.total).toMatchObject({ state: 'number', value: 11 });
    expect(report.tables.review?.litigationDirect?.total).toMatchObject({ state: 'number', value: 6 });
    const where = placeOf(text, '11000113300630003');
    const message = report.messages.find((m) => m.cells?.includes('review.reconsideration.upheld'));
    expect(message).toMatchObject({ ruleId: 'cell-ambiguous', line: where.line, column: where.column });
    expect(message?.message).toContain('1、11');
  });

  test('005: the column relations settle a row its own total cannot (（四）1 220000325)', async () => {
    const report = await parseText('005', original('005'));
    expect(values(report.tables.requests?.['unavailable.notHeld'])).toEqual([22, 0, 0, 0, 0, 3, 25]);
  });

  test('005 made inconsistent: no split satisfies every relation, so that row stays ambiguous', async () => {
    // （七）总计 63,0,0,2,0,4,69 → 64,0,0,2,0,4,70: the row still adds up, the table no longer does.
    const report = await parseText('005', changed('005', '（七）总计630020469', '（七）总计640020470'));
    expect(values(report.tables.requests?.totalProcessed)).toEqual([64, 0, 0, 2, 0, 4, 70]);
    const row = report.tables.requests?.['unavailable.notHeld'];
    expect(row?.[0]).toMatchObject({ state: 'ambiguous', candidates: [2, 22] });
    expect(row?.[1]).toMatchObject({ state: 'ambiguous', candidates: [0, 20] });
    expect(values(row?.slice(2))).toEqual([0, 0, 0, 3, 25]);
    expect(report.messages.some((m) => m.ruleId === 'split-relations')).toBe(true);
  });
});

describe('space-separated variants', () => {
  test('004: the review row separated by spaces, each cell at its own place', async () => {
    const text = original('004');
    const report = await parseText('004', text);
    const review = report.tables.review;
    expect([review?.reconsideration, review?.litigationDirect].map((g) => Object.values(g ?? {}).map((c) => c.value))).toEqual([
      [0, 1, 1, 0, 2],
      [1, 0, 0, 0, 1],
    ]);
    const start = placeOf(text, '0 1 1 0 2 1 0');
    expect(review?.reconsideration?.total?.position).toEqual({ line: start.line, column: start.column + 8 });
  });

  test('005: a stray space inside a row (500000 5)', async () => {
    const report = await parseText('005', original('005'));
    expect(values(report.tables.requests?.partiallyGranted)).toEqual([5, 0, 0, 0, 0, 0, 5]);
  });
});

describe('006 (2019 template, a real published error)', () => {
  test('（七）总计 is read as published although the result rows add up to more', async () => {
    const report = await parseText('006', original('006'));
    expect(report.template).toBe('2019');
    const requests = report.tables.requests ?? {};
    expect(values(requests.totalProcessed)).toEqual([20, 0, 0, 0, 0, 1, 21]);
    expect(values(requests.otherHandling)).toEqual([4, 0, 0, 0, 0, 0, 4]);
    const resultKeys = Object.keys(requests).filter((k) => !['newReceived', 'carriedOver', 'totalProcessed', 'carriedForward'].includes(k));
    const naturalPersons = resultKeys.reduce((sum, key) => sum + (requests[key]?.[0]?.value ?? 0), 0);
    expect(naturalPersons).toBe(26);
    const unsure = Object.values(requests).flat().filter((c) => c.state !== 'number');
    expect(unsure).toEqual([]);
  });

  test('signed 本年增/减 runs are not split by guesswork', async () => {
    const report = await parseText('006', original('006'));
    const penalties = report.tables.active?.penalties;
    // 2648-18538: the sign can only open the second cell, so the first is certain.
    expect(penalties?.previous).toMatchObject({ state: 'number', value: 2648 });
    expect(penalties?.change?.state).toBe('ambiguous');
    expect(penalties?.decisions?.state).toBe('ambiguous');
    expect(report.tables.active?.fees?.change).toMatchObject({ state: 'number', value: -15 });
    expect(report.tables.active?.regulations?.total).toMatchObject({ state: 'number', value: 7 });
  });
});

describe('prose never feeds a cell', () => {
  test('figures in the prose of a table section, glued to a row label, are not read as the row', async () => {
    // A sentence placed before table 二 that names a row label and a number.
    const text = changed('001', '二、主动公开政府信息情况第二十条', '二、主动公开政府信息情况全年行政许可1200件，规章3件。第二十条');
    const report = await parseText('001', text);
    expect(report.tables.active?.licensing?.decisions).toMatchObject({ state: 'number', value: 2418 });
    expect(report.tables.active?.regulations?.issued).toMatchObject({ state: 'number', value: 0 });
  });
});
