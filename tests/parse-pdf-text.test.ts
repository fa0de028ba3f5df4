/** The PDF-extracted text adapter on the real pdfplumber/pypdf texts and minimally changed copies. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { detectForm, parseSource } from '../src/parse/index.js';
import { toSource } from '../src/read/index.js';
import { Source } from '../src/read/source.js';
import type { Cell, Report } from '../src/template/model.js';
import { toReportJson } from '../src/template/schema.js';
import { corpusDir, corpusFile, truth } from './helpers/corpus.js';

const pdfTextIds = ['009', '010', '020', '021'];

async function original(id: string): Promise<Source> {
  const file = corpusFile(id);
  return toSource(file, readFileSync(file));
}

function parse(source: Source): Report {
  const result = parseSource(source);
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

/** Parses a copy of the report whose lines `edit` changed. */
async function parseEdited(id: string, edit: (lines: string[]) => string[]): Promise<Report> {
  const source = await original(id);
  return parse(new Source(source.file, edit(source.text.split('\n')).join('\n')));
}

/** 1-based number of the only line that contains the text. */
function lineOf(source: Source, text: string): number {
  const lines = source.text.split('\n');
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  expect(found, `“${text}” should be on exactly one line`).toHaveLength(1);
  return found[0] as number;
}

function allCells(report: Report): { ref: string; cell: Cell }[] {
  const { active, requests, review } = report.tables;
  return [
    ...Object.entries(active ?? {}).flatMap(([row, cols]) => Object.entries(cols).map(([col, cell]) => ({ ref: `active.${row}.${col}`, cell }))),
    ...Object.entries(requests ?? {}).flatMap(([row, cells]) => cells.map((cell, i) => ({ ref: `requests.${row}.${i}`, cell }))),
    ...Object.entries(review ?? {}).flatMap(([group, cols]) => Object.entries(cols).map(([col, cell]) => ({ ref: `review.${group}.${col}`, cell }))),
  ];
}

const tablesJson = (report: Report) => toReportJson(report).tables;

describe('detection', () => {
  test('the PDF-extracted texts, and no other corpus file, are read as this form', async () => {
    const dir = join(corpusDir, 'reports');
    for (const name of readdirSync(dir)) {
      let source: Source;
      try {
        source = await toSource(join(dir, name), readFileSync(join(dir, name)));
      } catch {
        continue; // undecodable inputs (022) never reach detection
      }
      const isPdfText = /pdfplumber|pypdf/.test(name);
      expect(detectForm(source)?.id === 'pdf-text', name).toBe(isPdfText);
    }
  });
});

describe.each(pdfTextIds)('report %s', (id) => {
  test('every number cell points at its printed text, row cells on one line left to right', async () => {
    const source = await original(id);
    const report = parse(source);
    const lines = source.text.split('\n');
    const numbers = allCells(report).filter(({ cell }) => cell.state === 'number');
    expect(numbers.length).toBeGreaterThan(150);
    for (const { ref, cell } of numbers) {
      const position = cell.position;
      expect(position, ref).not.toBeNull();
      const rest = (lines[(position?.line ?? 0) - 1] ?? '').slice((position?.column ?? 0) - 1);
      expect(rest.startsWith(cell.text) && !/^\d/.test(rest.slice(cell.text.length)), ref).toBe(true);
    }
    for (const cells of Object.values(report.tables.requests ?? {})) {
      const read = cells.filter((c) => c.state === 'number');
      if (read.length === 0) continue;
      expect(new Set(read.map((c) => c.position?.line)).size).toBe(1);
      const columns = read.map((c) => c.position?.column ?? 0);
      expect(columns).toEqual([...columns].sort((a, b) => a - b));
    }
    const newReceived = report.tables.requests?.newReceived ?? [];
    expect(newReceived.map((c) => c.position?.line)).toEqual(newReceived.map(() => lineOf(source, '一、本年新收政府信息公开申请数量')));
  });

  test('year and agency come from the two-line title', async () => {
    const report = parse(await original(id));
    expect(report.meta.year).toBe(truth(id).year);
    expect(report.meta.agency).toBe(truth(id).agency.replace(/（.*?）/g, ''));
    expect(report.messages.filter((m) => m.ruleId === 'meta-inferred')).toEqual([]);
  });

  test('all six sections are found; their prose carries no page footer and no table line', async () => {
    const report = parse(await original(id));
    expect(report.sections.map((s) => s.id)).toEqual(['overview', 'active', 'requests', 'review', 'problems', 'other']);
    const prose = report.sections.map((s) => s.text).join('\n');
    expect(prose).not.toMatch(/^\s*-\s*\d+\s*-\s*$/m);
    expect(prose).not.toMatch(/本年新收政府信息公开申请数量|本年制发件数|信息内容|未经复议直接起诉/);
    // Wrapped lines are joined: the overview's first paragraph runs over several printed lines.
    expect(report.sections[0]?.text.split('\n\n')[0]?.length).toBeGreaterThan(100);
  });
});

test('the pypdf and pdfplumber texts of one PDF give the same tables', async () => {
  const plumber = parse(await original('009'));
  const pypdf = parse(await original('010'));
  expect(tablesJson(pypdf)).toEqual(tablesJson(plumber));
  expect(pypdf.messages).toEqual([]);
  expect(plumber.messages).toEqual([]);
});

describe('page footers', () => {
  test('a footer inside table 三 changes nothing: removing it, or adding one inside a wrapped label, gives the same tables', async () => {
    const source = await original('009');
    const report = parse(source);
    const footerLine = lineOf(source, '- 4 -');
    const withoutFooter = await parseEdited('009', (lines) => lines.filter((_, i) => i !== footerLine - 1));
    expect(tablesJson(withoutFooter)).toEqual(tablesJson(report));
    const wrapped = lineOf(source, '1、申请人无正当理由逾期不补');
    const extraFooter = await parseEdited('009', (lines) => [...lines.slice(0, wrapped), '- 9 -', ...lines.slice(wrapped)]);
    expect(tablesJson(extraFooter)).toEqual(tablesJson(report));
    expect(extraFooter.messages).toEqual([]);
  });

  test('the row after the footer takes its numbers from its own line', async () => {
    const source = await original('009');
    const report = parse(source);
    const line = lineOf(source, '2.没有现成信息需要另行制作');
    expect(report.tables.requests?.['unavailable.needsCreation']?.map((c) => c.position?.line)).toEqual(Array(7).fill(line));
  });
});

describe('020 (洪泽区 2023)', () => {
  test('the published error in table 四 is read as published, not repaired', async () => {
    const source = await original('020');
    const report = parse(source);
    const review = report.tables.review;
    const cells = Object.values(review ?? {}).flatMap((group) => Object.values(group));
    expect(cells.map((c) => c.value)).toEqual(truth('020').review);
    expect(cells.every((c) => c.state === 'number')).toBe(true);
    expect(review?.reconsideration?.total?.value).toBe(0);
    expect((review?.reconsideration?.upheld?.value ?? 0) + (review?.reconsideration?.corrected?.value ?? 0)).toBeGreaterThan(0);
    const valuesLine = review?.reconsideration?.upheld?.position?.line;
    expect(cells.every((c) => c.position?.line === valuesLine)).toBe(true);
  });

  test('the label typo 2.其他法律行政止公开 is read as its row', async () => {
    const source = await original('020');
    const report = parse(source);
    const row = report.tables.requests?.['denied.lawProhibited'] ?? [];
    expect(row.every((c) => c.state === 'number')).toBe(true);
    expect(row[0]?.position?.line).toBe(lineOf(source, '2.其他法律行政止公开'));
    expect(report.messages.filter((m) => m.ruleId === 'row-missing')).toEqual([]);
  });

  test('a label beyond recognition loses its own row only; its neighbours keep their numbers', async () => {
    const source = await original('020');
    const report = parse(source);
    const damaged = await parseEdited('020', (lines) => lines.map((l) => l.replace('2.其他法律行政止公开', '2.其他某某公开')));
    const missing = damaged.tables.requests?.['denied.lawProhibited'] ?? [];
    expect(missing.every((c) => c.state === 'unread')).toBe(true);
    expect(damaged.messages.map((m) => m.ruleId)).toEqual(expect.arrayContaining(['row-missing', 'values-unassigned']));
    const requests = report.tables.requests ?? {};
    for (const [key, cells] of Object.entries(damaged.tables.requests ?? {})) {
      if (key === 'denied.lawProhibited') continue;
      expect(cells.map((c) => c.value), key).toEqual(requests[key]?.map((c) => c.value));
    }
  });

  test('value lines printed above or between their label lines go to their rows', async () => {
    const source = await original('020');
    const report = parse(source);
    const requests = report.tables.requests ?? {};
    // The truth's extra rows were read by hand from the rendered page.
    const extra = (truth('020') as unknown as { extraRows: Record<string, number[]> }).extraRows;
    expect(requests['denied.stateSecret']?.map((c) => c.value)).toEqual(extra.denied_stateSecret);
    expect(requests['unavailable.notHeld']?.map((c) => c.value)).toEqual(extra.unable_noInfo);
    expect(requests['unavailable.needsCreation']?.map((c) => c.value)).toEqual(extra.unable_needCreation);
    // 1.属于国家秘密's values sit on the line above its label.
    expect(requests['denied.stateSecret']?.[0]?.position?.line).toBe(lineOf(source, '1.属于国家秘密') - 1);
  });

  test('（六）其他处理 printed as one row leaves its three items unread, with a message at that row', async () => {
    const source = await original('020');
    const report = parse(source);
    const line = lineOf(source, '（六）其他处理');
    for (const key of ['otherHandling.overdueCorrection', 'otherHandling.overdueFee', 'otherHandling.other']) {
      const cells = report.tables.requests?.[key] ?? [];
      expect(cells.every((c) => c.state === 'unread' && c.position?.line === line), key).toBe(true);
    }
    const message = report.messages.find((m) => m.ruleId === 'cell-unread');
    expect(message?.line).toBe(line);
    expect(message?.message).toContain('（六）其他处理');
  });
});

describe('a deleted value line', () => {
  test('009: the row whose values are gone is unread, with a message at its label; no number moves', async () => {
    const source = await original('009');
    const report = parse(source);
    const valuesLine = lineOf(source, '447 7 0 0 0 0 454');
    const damaged = await parseEdited('009', (lines) => lines.filter((_, i) => i !== valuesLine - 1));
    const row = damaged.tables.requests?.partiallyGranted ?? [];
    expect(row.every((c) => c.state === 'unread')).toBe(true);
    const labelLine = lineOf(source, '（二）部分公开');
    const messages = damaged.messages.filter((m) => m.ruleId === 'cell-unread');
    expect(messages.map((m) => m.line)).toEqual([labelLine]);
    const before = report.tables.requests ?? {};
    for (const [key, cells] of Object.entries(damaged.tables.requests ?? {})) {
      if (key === 'partiallyGranted') continue;
      expect(cells.map((c) => c.value), key).toEqual(before[key]?.map((c) => c.value));
    }
  });

  test('020: where a value line no longer pairs with its label, the rows of that stretch are unread, never shifted', async () => {
    const source = await original('020');
    const report = parse(source);
    // The value line printed above 1.属于国家秘密.
    const valuesLine = lineOf(source, '1.属于国家秘密') - 1;
    const damaged = await parseEdited('020', (lines) => lines.filter((_, i) => i !== valuesLine - 1));
    const requests = damaged.tables.requests ?? {};
    const affected = ['partiallyGranted', 'denied.stateSecret'];
    for (const key of affected) expect(requests[key]?.every((c) => c.state === 'unread'), key).toBe(true);
    const messageLines = damaged.messages.filter((m) => m.ruleId === 'cell-unread' && !m.message.includes('（六）')).map((m) => m.line);
    // Lines after the deleted one move up by one.
    expect(messageLines).toEqual([lineOf(source, '（二）部分公开'), lineOf(source, '1.属于国家秘密') - 1]);
    const before = report.tables.requests ?? {};
    for (const [key, cells] of Object.entries(requests)) {
      if (affected.includes(key)) continue;
      expect(cells.map((c) => c.value), key).toEqual(before[key]?.map((c) => c.value));
    }
  });

  test('a row with a lost cell is unread as a whole: the remaining numbers cannot be placed in columns', async () => {
    const source = await original('021');
    const line = lineOf(source, '一、本年新收政府信息公开申请数量');
    const damaged = await parseEdited('021', (lines) => lines.map((l, i) => (i === line - 1 ? l.replace(/ 0 0 0 0 0 /, ' 0 0 0 0 ') : l)));
    expect(damaged.tables.requests?.newReceived?.every((c) => c.state === 'unread')).toBe(true);
    expect(damaged.messages.find((m) => m.ruleId === 'cell-unread')?.line).toBe(line);
  });
});
