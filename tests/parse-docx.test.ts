/** Word files: the official 2021 template (empty tables) through mammoth into the HTML adapter. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { describe, expect, test } from 'vitest';
import { docxOf } from '../src/bench/hostile-inputs.js';
import { parseReport } from '../src/parse/index.js';
import { docxToHtml, MANY_TABLE_CELLS } from '../src/read/docx.js';
import { layouts, requestColumns, reviewColumns, reviewGroups } from '../src/template/layout.js';
import type { Cell, Report } from '../src/template/model.js';
import { corpusDir } from './helpers/corpus.js';

const templateFile = join(corpusDir, 'docx', 'template-2021-blank.docx');

async function parseTemplate(): Promise<Report> {
  const result = await parseReport(templateFile, readFileSync(templateFile));
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

function allCells(report: Report): { ref: string; cell: Cell | undefined }[] {
  const { active, requests, review } = report.tables;
  const layout = layouts['2021'];
  return [
    ...layout.activeRows.flatMap((row) => row.columns.map((c) => ({ ref: `active.${row.key}.${c.key}`, cell: active?.[row.key]?.[c.key] }))),
    ...layout.requestRows.flatMap((row) => requestColumns.map((c, i) => ({ ref: `requests.${row.key}.${c.key}`, cell: requests?.[row.key]?.[i] }))),
    ...reviewGroups.flatMap((g) => reviewColumns.map((c) => ({ ref: `review.${g.key}.${c.key}`, cell: review?.[g.key]?.[c.key] }))),
  ];
}

describe('the 2021 template as a Word file', () => {
  test('parses to the full 2021 structure, six sections, no year', async () => {
    const report = await parseTemplate();
    expect(report.template).toBe('2021');
    expect(report.meta.year).toBeNull();
    expect(report.sections.map((s) => s.id)).toEqual(['overview', 'active', 'requests', 'review', 'problems', 'other']);
    expect(Object.keys(report.tables.requests ?? {})).toEqual(layouts['2021'].requestRows.map((r) => r.key));
    expect(report.messages.filter((m) => /row-missing|column-missing|table-missing/.test(m.ruleId))).toEqual([]);
  });

  test('every cell is blank, including those holding only full-width spaces', async () => {
    const report = await parseTemplate();
    const cells = allCells(report);
    expect(cells).toHaveLength(2 * 3 + 4 + 25 * 7 + 15);
    const notBlank = cells.filter(({ cell }) => cell?.state !== 'blank').map(({ ref }) => ref);
    expect(notBlank).toEqual([]);
    // The template's 规章 本年制发件数 cell holds two U+3000 spaces.
    expect(report.tables.active?.regulations?.issued?.text).toBe('　　');
    expect(report.tables.active?.regulations?.issued?.position?.line).toBeGreaterThan(1);
  });

  test('a file that is not a Word document fails with a clear message', async () => {
    const result = await parseReport('broken.docx', new TextEncoder().encode('这不是 Word 文件'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/无法读取 Word 文件/);
  });
});

describe('a Word file with more table cells than any report', () => {
  const cell = (text: string) => `<w:tc><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:tc>`;
  const documentWith = (cells: number) =>
    docxOf(`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>标题</w:t></w:r></w:p><w:tbl><w:tr>${cell('1').repeat(cells - 1)}<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`);

  test('is converted by the linear pass to the HTML mammoth writes, bold aside', { timeout: 60_000 }, async () => {
    const wide = documentWith(MANY_TABLE_CELLS + 1);
    const byMammoth = (await mammoth.convertToHtml({ buffer: Buffer.from(wide) })).value;
    expect(byMammoth).toContain('<strong>');
    const html = await docxToHtml(wide);
    expect(html).not.toContain('<strong>');
    expect(html.replace(/\n/g, '')).toBe(byMammoth.replace(/<\/?strong>/g, ''));
  });

  test('up to the limit, mammoth converts it', { timeout: 60_000 }, async () => {
    expect(await docxToHtml(documentWith(MANY_TABLE_CELLS))).toContain('<strong>');
  });
});
