/**
 * The key figures' download: one CSV line per report and figure, written out
 * as UTF-8 report by report. Checked on the corpus reports, enough of them
 * for the bytes to outgrow the first buffer several times over, by reading
 * the CSV back field by field; and made again from the previous download's
 * rows (keyed-rows.ts), byte for byte the download made afresh.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { totalColumnIndex } from '../src/rules/cells.js';
import { keyFiguresRows, type KeyFiguresEntry } from '../src/site/downloads.js';
import { writeRows } from '../src/site/keyed-rows.js';
import { keyFigure, keyFigureDefs, listedKeyOf } from '../src/site/view/key-figures.js';
import type { Report } from '../src/template/model.js';
import { refigured } from './helpers/refigure.js';

const reportsDir = 'tests/fixtures/corpus/reports';

async function corpusReports(): Promise<Report[]> {
  const reports: Report[] = [];
  for (const name of readdirSync(reportsDir).sort()) {
    const path = join(reportsDir, name);
    const result = await parseReport(path, readFileSync(path));
    if (result.ok) reports.push(result.report);
  }
  return reports;
}

/** The fields of one CSV line (RFC 4180 quoting; the download puts no line break inside a field of these reports). */
function fieldsOf(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Bodies named with what CSV must quote or guard: a comma, a quote, a leading formula sign. */
const names = ['桐柏县应急管理局', '平潭综合实验区,管委会', '“某”局 "办公室"', '=SUM(A1)'];

/** 600 entries of the corpus reports under those names, some without a year. */
function entriesOf(reports: Report[]): KeyFiguresEntry[] {
  return Array.from({ length: 600 }, (_, i) => {
    const report = reports[i % reports.length] as Report;
    return { body: names[i % names.length] as string, year: i % 7 === 0 ? null : 2019 + (i % 6), report, listed: listedKeyOf(report) };
  });
}

/** The entry with its report's figure of requests received one more. */
function refiguredEntry(entry: KeyFiguresEntry): KeyFiguresEntry {
  const report = refigured(entry.report);
  return { ...entry, report, listed: listedKeyOf(report) };
}

describe('key figures download', () => {
  it('has a line per report and figure, each field as worked out, over many buffers of bytes', async () => {
    const reports = await corpusReports();
    expect(reports.length).toBeGreaterThan(10);
    const entries = entriesOf(reports);
    const { bytes } = writeRows(keyFiguresRows(entries));
    expect(bytes.byteLength).toBeGreaterThan(4 * (1 << 16));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = Buffer.from(bytes).toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(fieldsOf(lines[0] as string)).toEqual(['body', 'year', 'file', 'figure', 'figure_label', 'value', 'why_no_value']);
    expect(lines.length).toBe(1 + entries.length * keyFigureDefs.length);
    let absent = 0;
    entries.forEach(({ body, year, report }, e) => {
      keyFigureDefs.forEach((def, d) => {
        const figure = keyFigure(report, def);
        const fields = fieldsOf(lines[1 + e * keyFigureDefs.length + d] as string);
        // A leading formula sign is guarded by an apostrophe.
        expect(fields).toEqual([
          body.startsWith('=') ? `'${body}` : body,
          year === null ? '' : String(year),
          report.file,
          def.key,
          def.label,
          figure.value === null ? '' : String(figure.value),
          figure.value === null ? figure.text : '',
        ]);
        if (figure.value === null) absent++;
      });
    });
    // Blank is not 0: figures the reports do not give stay blank, with the reason beside.
    expect(absent).toBeGreaterThan(0);
  });

  it('made again from the previous download, copies the rows of unchanged reports and gives the bytes made afresh', async () => {
    const entries = entriesOf(await corpusReports());
    const previous = writeRows(keyFiguresRows(entries));
    const withFigure = entries.findIndex((entry) => entry.report.tables.requests?.newReceived?.[totalColumnIndex]?.value != null);
    // One report's figure corrected, one report gone, one new body, one body renamed, and the last report listed first.
    const after = entries.map((entry, i) => (i === withFigure ? refiguredEntry(entry) : i === 40 ? { ...entry, body: `${entry.body}（更名）` } : entry));
    after.splice(20, 1);
    after.splice(30, 0, { ...(entries[30] as KeyFiguresEntry), body: '新设机构' });
    after.unshift(after.pop() as KeyFiguresEntry);
    const rows = keyFiguresRows(after);
    const afresh = writeRows(rows);
    const spliced = writeRows(rows, previous);
    expect(Buffer.from(spliced.bytes).equals(Buffer.from(afresh.bytes))).toBe(true);
    expect(spliced.layout).toEqual(afresh.layout);
    // The figure corrected, the new body and the renamed one are made; every other row is copied.
    expect(spliced.reused).toBe(after.length - 3);
    // Bytes that are not those the layout describes (one byte more) lend no row.
    const longer = writeRows(rows, { bytes: Buffer.concat([previous.bytes, Buffer.from(' ')]), layout: previous.layout });
    expect(longer.reused).toBe(0);
    expect(Buffer.from(longer.bytes).equals(Buffer.from(afresh.bytes))).toBe(true);
  });
});
