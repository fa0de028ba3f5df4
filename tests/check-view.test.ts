/**
 * `nianbao check` reads of each report only its cross-report view
 * (src/rules/view.ts): checked that way, every set of reports draws exactly
 * the findings it draws checked whole — the corpus, the 平潭 series laid out
 * as one body with a carried figure changed, and every rule's examples with
 * the reports they are checked with (combined reports among them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { checkReports, reportRuleMessages, rules } from '../src/rules/run.js';
import { crossReportView, wholeReportsNeeded } from '../src/rules/view.js';
import type { Message, Report } from '../src/template/model.js';
import { corpusDir, corpusFile, parseFixture } from './helpers/corpus.js';

/** As check.ts does it: views, then the parts of combined reports whole, each report's own findings made from the whole report. */
function checkThroughViews(reports: Report[]) {
  const perReport = new Map<string, Message[]>(reports.map((r) => [r.file, reportRuleMessages(r)]));
  // Through JSON, as views cross from the workers and the cache.
  const views = reports.map((r) => JSON.parse(JSON.stringify(crossReportView(r))) as Report);
  const whole = wholeReportsNeeded(views);
  return checkReports(
    views.map((view, i) => (whole.has(view.file) ? (reports[i] as Report) : view)),
    perReport,
  );
}

async function parseText(file: string, text: string): Promise<Report> {
  const result = await parseReport(file, new TextEncoder().encode(text));
  if (!result.ok) throw new Error(`${file}: ${result.error.message}`);
  return result.report;
}

test('the corpus reports checked together', async () => {
  const files = readdirSync(join(corpusDir, 'reports')).map((f) => join(corpusDir, 'reports', f));
  const reports: Report[] = [];
  for (const file of files) {
    const result = await parseReport(file, readFileSync(file));
    if (result.ok) reports.push(result.report);
  }
  expect(reports.length).toBeGreaterThan(10);
  const findings = checkReports(reports);
  expect(findings.length).toBeGreaterThan(0);
  expect(checkThroughViews(reports)).toEqual(findings);
});

test('the 平潭 series as one body, one carried figure changed: the carry-over error is found through the views', async () => {
  const reports = await Promise.all(
    ([['006', 2020], ['005', 2021], ['004', 2022], ['001', 2025]] as const).map(async ([id, year]) => {
      const report = await parseFixture(corpusFile(id));
      report.file = `content/平潭综合实验区/${year}.txt`;
      return report;
    }),
  );
  const cell = reports[2]?.tables.requests?.carriedOver?.[6];
  Object.assign(cell as object, { value: 2, text: '2' });
  const findings = checkReports(reports);
  expect(findings.some((f) => f.ruleId === 'carry-over' && f.severity === 'error')).toBe(true);
  expect(checkThroughViews(reports)).toEqual(findings);
});

describe.each(rules.map((r) => [r.id, r] as const))('%s examples', (_id, rule) => {
  const examples = [...rule.examples.pass, ...rule.examples.fail];
  test.each(examples.map((e) => [e.title, e] as const))('%s', async (_title, example) => {
    const reports = [await parseText('example/report.md', example.markdown)];
    if (example.previous) reports.push(await parseText('example/previous.md', example.previous));
    for (const [i, other] of (example.others ?? []).entries()) reports.push(await parseText(`example/other-${i}.md`, other));
    expect(checkThroughViews(reports)).toEqual(checkReports(reports));
  });
});
