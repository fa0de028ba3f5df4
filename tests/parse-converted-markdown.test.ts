/**
 * Markdown made from PDFs by converters and OCR (corpus 011, 012), and
 * minimally changed copies of them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseSource } from '../src/parse/index.js';
import { Source } from '../src/read/source.js';
import type { Report } from '../src/template/model.js';
import { toReportJson } from '../src/template/schema.js';
import { corpusFile, parseCorpus, truth } from './helpers/corpus.js';

const text011 = readFileSync(corpusFile('011'), 'utf8');
const text012 = readFileSync(corpusFile('012'), 'utf8');

function parseText(file: string, text: string): Report {
  const result = parseSource(new Source(file, text));
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

/** The text with the given 1-based lines replaced (a line mapped to null is removed). */
function editLines(text: string, edits: Record<number, string | null>): string {
  return text
    .split('\n')
    .flatMap((line, i) => {
      const edit = edits[i + 1];
      if (edit === undefined) return [line];
      return edit === null ? [] : [edit];
    })
    .join('\n');
}

function lineOf(text: string, start: string): number {
  return text.split('\n').findIndex((l) => l.startsWith(start)) + 1;
}

describe('detection', () => {
  test('011 and 012 are read as converted Markdown with the 2021 template', async () => {
    for (const id of ['011', '012']) {
      const { report } = await parseCorpus(id);
      expect(report.form).toBe('converted-markdown');
      expect(report.template).toBe('2021');
    }
  });

  test('the OCR spelling of the agency stays as published', async () => {
    const { report } = await parseCorpus('011');
    expect(report.meta.agency).toBe(text011.split('\n')[2]?.trim());
  });
});

describe('012: shredded table 三', () => {
  test('the 总计 cell the conversion lost is blank, not 0 and not unread', async () => {
    const { report } = await parseCorpus('012');
    const cell = report.tables.requests?.carriedForward?.[6];
    expect(cell?.state).toBe('blank');
    expect(cell?.position?.line).toBe(lineOf(text012, '| 四、结转下年度继续办理'));
  });

  test('rows that lost their labels are placed only by the labelled rows around them, and say so', async () => {
    const { report } = await parseCorpus('012');
    const notes = truth('012') as unknown as { notes: string };
    // The truth notes give this assignment (it matches the narrative's 无法提供10, 其他处理14).
    expect(notes.notes).toContain('(四)1=4, (四)2=6, (四)3=0');
    const totals = (key: string) => report.tables.requests?.[key]?.[6]?.value;
    expect(['unavailable.notHeld', 'unavailable.needsCreation', 'unavailable.unclearAfterCorrection'].map(totals)).toEqual([4, 6, 0]);
    expect(['otherHandling.overdueCorrection', 'otherHandling.overdueFee', 'otherHandling.other'].map(totals)).toEqual([10, 0, 4]);
    const inferred = report.messages.filter((m) => m.ruleId === 'row-inferred');
    expect(inferred.length).toBeGreaterThan(0);
    expect(inferred.every((m) => m.severity === 'info')).toBe(true);
  });

  test('a gap whose rows do not fit its places leaves those rows unread, never shifted', async () => {
    const { report: original } = await parseCorpus('012');
    // Drop the bare row of (四)2 (| 6 | … | 6 |): three places, two rows.
    const line = text012.split('\n').findIndex((l) => l.startsWith('| 6 | 0 | 0 | 0 | 0 | 0 | 6 |')) + 1;
    expect(line).toBeGreaterThan(0);
    const report = parseText('012.md', editLines(text012, { [line]: null }));
    for (const key of ['unavailable.notHeld', 'unavailable.needsCreation', 'unavailable.unclearAfterCorrection']) {
      expect(report.tables.requests?.[key]?.every((c) => c.state === 'unread')).toBe(true);
    }
    expect(report.messages.some((m) => m.ruleId === 'row-uncertain')).toBe(true);
    for (const key of ['denied.administrativeQuery', 'notProcessed.petitionOrComplaint', 'otherHandling.overdueCorrection']) {
      expect(report.tables.requests?.[key]?.map((c) => c.value)).toEqual(original.tables.requests?.[key]?.map((c) => c.value));
    }
  });

  test('table 四 printed as one row of fifteen is read in group and column order', async () => {
    const { json } = await parseCorpus('012');
    const values = text012
      .split('\n')
      .find((l) => /^\|(?:\s*\d+\s*\|){15}$/.test(l))
      ?.split('|')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(Number);
    expect(Object.values(json.tables.review ?? {}).flatMap((g) => Object.values(g))).toEqual(values);
  });
});

describe('011: placeholder and wrong headers', () => {
  test('a header that names the columns in another order is followed', () => {
    const header = lineOf(text011, '| 信息内容 | 本年制发件数');
    const report = parseText('011.md', editLines(text011, { [header]: '| 信息内容 | 现行有效件数 | 本年废止件数 | 本年制发件数 |' }));
    const row = report.tables.active?.normativeDocuments;
    const published = text011.split('\n')[lineOf(text011, '| 行政规范性文件') - 1]?.split('|').map((s) => s.trim()) ?? [];
    expect([row?.issued?.text, row?.repealed?.text, row?.inForce?.text]).toEqual([published[4], published[3], published[2]]);
  });

  test('the injected header naming row labels does not move the applicant columns', async () => {
    const { report } = await parseCorpus('011');
    const line = lineOf(text011, '| 2. 申请人逾期未按收费通知');
    const published = text011.split('\n')[line - 1]?.split('|').slice(2, 9).map((s) => Number(s.trim()));
    expect(report.tables.requests?.['otherHandling.overdueFee']?.map((c) => c.value)).toEqual(published);
  });

  test('a row missing a cell is unread with a message; its neighbours keep their numbers', async () => {
    const { json: original } = await parseCorpus('011');
    const line = lineOf(text011, '| 2. 重复申请');
    const report = parseText('011.md', editLines(text011, { [line]: '| 2. 重复申请 | 6 | 1 | 0 | 0 | 0 | 7 |' }));
    expect(report.tables.requests?.['notProcessed.repeated']?.every((c) => c.state === 'unread')).toBe(true);
    const message = report.messages.find((m) => m.ruleId === 'cell-unread');
    expect(message?.line).toBe(line);
    const json = toReportJson(report);
    for (const key of ['notProcessed.petitionOrComplaint', 'notProcessed.publication']) {
      expect(json.tables.requests?.[key]).toEqual(original.tables.requests?.[key]);
    }
  });
});
