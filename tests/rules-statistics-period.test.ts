/**
 * statistics-period on a real report whose stated period is printed in
 * full-width digits: copies of 001 with its period sentence moved from the
 * preamble into 一、总体情况, where the rule reads it, and its digits changed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkReports } from '../src/rules/run.js';
import { corpusFile, parseFixture } from './helpers/corpus.js';

const original = corpusFile('001');
const preamble = '本报告所列数据统计期限为2025年1月1日至2025年12月31日。一、总体情况 ';
const printed = '统计期限为2025年1月1日至2025年12月31日';
const dir = mkdtempSync(join(tmpdir(), 'nianbao-period-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fullWidth = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

/** 001 with the period sentence at the start of 一、总体情况, checked alone; the statistics-period findings. */
async function periodFindings(period: string) {
  const text = readFileSync(original, 'utf8');
  expect(text).toContain(preamble);
  const file = join(dir, basename(original));
  writeFileSync(file, text.replace(preamble, `一、总体情况 本报告所列数据${period}。`));
  return checkReports([await parseFixture(file)]).filter((f) => f.ruleId === 'statistics-period');
}

describe('statistics-period with full-width digits', () => {
  test('the period as printed, moved into 一、总体情况, agrees', async () => {
    expect(await periodFindings(printed)).toEqual([]);
  });

  test('the same period a year off is found', async () => {
    expect(await periodFindings(printed.replaceAll('2025', '2024'))).toHaveLength(1);
  });

  test('the report year in full-width digits agrees', async () => {
    expect(await periodFindings(fullWidth(printed))).toEqual([]);
  });

  test('last year in full-width digits is found, and quoted in ASCII digits', async () => {
    const findings = await periodFindings(fullWidth(printed.replaceAll('2025', '2024')));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('统计期限写为“统计期限为2024年1月1日至2024年12月31日”，与报告年度 2025 不符');
  });

  test('digits mixed within one figure are read as one year', async () => {
    const findings = await periodFindings(printed.replace('2025年1', '２０24年１'));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('2024年1月1日至2025年12月31日');
  });
});
