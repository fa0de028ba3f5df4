/** PDFs read from their layout: the three corpus PDFs to their truth, page breaks, and scans. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import type { Report } from '../src/template/model.js';
import { toReportJson } from '../src/template/schema.js';
import { asTruthShape, corpusDir, truth } from './helpers/corpus.js';

const pdfs = [
  ['009', '009-huaian-city-2024.pdf'],
  ['020', '020-hongze-2023.pdf'],
  ['021', '021-hongze-2024.pdf'],
] as const;

const reports = new Map<string, Promise<Report>>();
function parsePdf(name: string): Promise<Report> {
  let report = reports.get(name);
  if (!report) {
    const file = join(corpusDir, 'pdf', name);
    report = parseReport(file, readFileSync(file)).then((result) => {
      if (!result.ok) throw new Error(result.error.message);
      return result.report;
    });
    reports.set(name, report);
  }
  return report;
}

describe.each(pdfs)('PDF %s', (id, name) => {
  const expected = truth(id);

  test('template, year and body', async () => {
    const report = await parsePdf(name);
    expect(report.form).toBe('pdf-layout');
    expect(report.template).toBe(expected.template);
    expect(report.meta.year).toBe(expected.year);
    expect(report.meta.agency ?? '').toContain(expected.agency.replace(/（.*?）/g, ''));
  });

  test('every number and every null as published', async () => {
    const report = await parsePdf(name);
    expect(asTruthShape(toReportJson(report), expected.template)).toEqual({
      requests: expected.requests,
      review: expected.review,
      active: expected.active,
    });
  });

  test('six sections with their prose, no page numbers', async () => {
    const report = await parsePdf(name);
    expect(report.sections.map((s) => s.id)).toEqual(['overview', 'active', 'requests', 'review', 'problems', 'other']);
    expect(report.sections.find((s) => s.id === 'overview')?.text.length).toBeGreaterThan(200);
    expect(report.sections.map((s) => s.text).join('\n')).not.toMatch(/^\s*-\s*\d+\s*-\s*$/m);
  });
});

describe('a table across a page break (020, table 三 over pages 3 and 4)', () => {
  test('rows on both pages are read, the last row before the break included', async () => {
    const report = await parsePdf('020-hongze-2023.pdf');
    const extra = (truth('020') as unknown as { extraRows: Record<string, number[]> }).extraRows;
    const requests = report.tables.requests ?? {};
    const values = (key: string) => requests[key]?.map((c) => c.value);
    expect(values('unavailable.notHeld')).toEqual(extra.unable_noInfo);
    // The page's last row has no closing rule: the column rules close it.
    expect(values('unavailable.needsCreation')).toEqual(extra.unable_needCreation);
    expect(values('notProcessed.petitionOrComplaint')).toEqual(extra.notProcessed_complaint);
    const before = requests['unavailable.notHeld']?.[0]?.position?.line ?? 0;
    const after = requests['notProcessed.petitionOrComplaint']?.[0]?.position?.line ?? 0;
    expect(after).toBeGreaterThan(before);
  });

  test('a group printed as one row (（六）其他处理) leaves its three rows unread, not shifted', async () => {
    const report = await parsePdf('020-hongze-2023.pdf');
    for (const key of ['otherHandling.overdueCorrection', 'otherHandling.overdueFee', 'otherHandling.other']) {
      expect(report.tables.requests?.[key]?.every((c) => c.state === 'unread')).toBe(true);
    }
    expect(report.tables.requests?.totalProcessed?.map((c) => c.value)).toEqual(truth('020').requests.total);
    expect(report.messages.filter((m) => m.ruleId === 'row-missing')).toHaveLength(3);
  });

  test('020 table 四 is read as published, its wrong totals included', async () => {
    const report = await parsePdf('020-hongze-2023.pdf');
    const reconsideration = report.tables.review?.reconsideration;
    expect([reconsideration?.upheld?.value, reconsideration?.corrected?.value, reconsideration?.total?.value]).toEqual([10, 1, 0]);
    const after = report.tables.review?.litigationAfterReconsideration;
    expect([after?.upheld?.value, after?.total?.value]).toEqual([5, 0]);
  });
});

/** A one-page PDF whose page draws only what `content` says, with a correct cross-reference table. */
function minimalPdf(content: string): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

describe('PDFs nianbao cannot read', () => {
  test('a scan without a text layer gets a clear message, no OCR', async () => {
    // A page that only paints a grey area, as a scanned image would cover it.
    const result = await parseReport('scan.pdf', minimalPdf('0.5 g 50 50 495 742 re f'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.ruleId).toBe('decode');
      expect(result.error.message).toMatch(/没有可用的文字层.*扫描件.*OCR/);
    }
  });

  test('a damaged file gets a clear message', async () => {
    const result = await parseReport('broken.pdf', new TextEncoder().encode('%PDF-1.4\nnot really'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/PDF/);
  });
});
