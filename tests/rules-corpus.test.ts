/** The rules on the real corpus: the known errors found at the named cells, no false error on consistent reports. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadContent } from '../src/content/load.js';
import { checkReports } from '../src/rules/run.js';
import type { Finding } from '../src/rules/types.js';
import type { Report } from '../src/template/model.js';
import { corpusFile, parseFixture } from './helpers/corpus.js';

async function check(id: string): Promise<Finding[]> {
  return checkReports([await parseFixture(corpusFile(id))]);
}

const errorsOf = (findings: Finding[]) => findings.filter((f) => f.severity === 'error' && f.accepted === undefined);

/** Reports whose published tables are consistent (corpus README and MANIFEST). */
export const consistentIds = ['000', '001', '004', '005', '009', '010', '011', '014', '015', '021'];

describe('real errors of the corpus', () => {
  test('020: review-total in two groups, 行政复议 and 复议后起诉', async () => {
    const errors = errorsOf(await check('020'));
    const review = errors.filter((f) => f.ruleId === 'review-total');
    expect(review.map((f) => f.cells?.[0])).toEqual(['review.reconsideration.total', 'review.litigationAfterReconsideration.total']);
    expect(review[0]?.message).toContain('结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0 = 11，但总计为 0');
    expect(review[1]?.message).toContain('= 5，但总计为 0');
    expect(review[0]?.line).toBeGreaterThan(1);
    expect(errors.filter((f) => f.ruleId !== 'review-total')).toEqual([]);
  });

  test('006: requests-results-total (2019 template), natural persons and total', async () => {
    const errors = errorsOf(await check('006'));
    expect(errors.map((f) => [f.ruleId, f.cells?.[0]])).toEqual([
      ['requests-results-total', 'requests.totalProcessed.naturalPerson'],
      ['requests-results-total', 'requests.totalProcessed.total'],
    ]);
    expect(errors[0]?.message).toMatch(/= 26，但（七）总计为 20/);
    expect(errors[1]?.message).toMatch(/= 27，但（七）总计为 21/);
  });

  test('012: the lost 总计 cell cannot be assessed; no table error', async () => {
    const findings = await check('012');
    const balance = findings.filter((f) => f.ruleId === 'requests-balance');
    expect(balance).toHaveLength(1);
    expect(balance[0]?.severity).toBe('warning');
    expect(balance[0]?.cells?.[0]).toBe('requests.carriedForward.total');
    expect(balance[0]?.message).toContain('四、结转下年度继续办理·总计（空白）');
    expect(balance[0]?.message).toContain('无法校验');
    const tableRules = ['requests-balance', 'requests-results-total', 'requests-applicant-total', 'review-total'];
    expect(errorsOf(findings).filter((f) => tableRules.includes(f.ruleId))).toEqual([]);
  });

  test('015: the narrative 258 and 265 against the table', async () => {
    const prose = (await check('015')).filter((f) => f.ruleId === 'prose-table');
    expect(prose.map((f) => f.cells)).toEqual([
      ['requests.granted.total', 'requests.partiallyGranted.total'],
      ['requests.unavailable.notHeld.total', 'requests.unavailable.needsCreation.total', 'requests.unavailable.unclearAfterCorrection.total'],
    ]);
    expect(prose[0]?.message).toMatch(/258.*至少为 275/);
    expect(prose[1]?.message).toMatch(/265.*至少为 337/);
  });

  test('021: 区政府办 受理 17 against the table’s 95, named as a possible difference of scope', async () => {
    const prose = (await check('021')).filter((f) => f.ruleId === 'prose-table');
    expect(prose).toHaveLength(1);
    expect(prose[0]?.cells).toEqual(['requests.newReceived.total']);
    expect(prose[0]?.message).toMatch(/17 件.*区政府办.*95.*口径/);
  });
});

describe('consistent reports', () => {
  test.each(consistentIds)('%s draws no error', async (id) => {
    const findings = await check(id);
    expect(errorsOf(findings).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  test('prose claims that agree with the table draw nothing (001, 004, 005, 009, 011)', async () => {
    for (const id of ['001', '004', '005', '009', '011']) {
      const prose = (await check(id)).filter((f) => f.ruleId === 'prose-table' && f.severity === 'warning' && !f.message.startsWith('无法校验'));
      expect(prose, id).toEqual([]);
    }
  });
});

describe('carry-over across the 平潭 series laid out as one body', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-series-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const body = join(dir, 'content', '平潭综合实验区');
  mkdirSync(body, { recursive: true });
  for (const [id, year] of [['006', 2020], ['005', 2021], ['004', 2022], ['001', 2025]] as const)
    copyFileSync(corpusFile(id), join(body, `${year}.txt`));

  async function series(): Promise<Report[]> {
    const { reports, failures } = await loadContent([join(dir, 'content')]);
    expect(failures).toEqual([]);
    expect(reports.map((r) => r.meta.year)).toEqual([2020, 2021, 2022, 2025]);
    return reports;
  }

  test('no carry-over error between consecutive years, no pairing across the 2023–2024 gap', async () => {
    const findings = checkReports(await series()).filter((f) => f.ruleId === 'carry-over');
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('one carried figure changed: exactly one carry-over error naming both years', async () => {
    const reports = await series();
    const report2022 = reports.find((r) => r.meta.year === 2022) as Report;
    const cell = report2022.tables.requests?.carriedOver?.[6];
    expect(cell?.value).toBe(1);
    Object.assign(cell as object, { value: 2, text: '2' });
    const errors = checkReports(reports).filter((f) => f.ruleId === 'carry-over' && f.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.file).toBe(report2022.file);
    expect(errors[0]?.message).toMatch(/2022 年.*2021 年/);
    expect(errors[0]?.cells).toEqual(['requests.carriedOver.total', 'requests.carriedForward.total@2021']);
  });
});

describe('the order of findings', () => {
  test('by file, then line and column, whatever order the reports are checked in and the rules found them', async () => {
    const reports = await Promise.all(['020', '006', '016', '000', '012'].map((id) => parseFixture(corpusFile(id))));
    const findings = checkReports(reports);
    const files = new Set(findings.map((f) => f.file));
    expect(files.size).toBe(reports.length);
    // A report's reading messages, its own rules' and the rules across reports' are made in that order, not by position.
    const sorted = [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
    expect(findings).toEqual(sorted);
  });
});

