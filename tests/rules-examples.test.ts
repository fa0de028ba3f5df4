/** Every rule's own examples: the passing ones draw no finding of the rule, the failing ones at least one. */
import { describe, expect, test } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { checkReports, rules } from '../src/rules/run.js';
import type { RuleExample } from '../src/rules/types.js';
import type { Report } from '../src/template/model.js';

async function parseMarkdown(file: string, markdown: string): Promise<Report> {
  const result = await parseReport(file, new TextEncoder().encode(markdown));
  if (!result.ok) throw new Error(`${file}: ${result.error.message}`);
  return result.report;
}

async function findingsOf(ruleId: string, example: RuleExample) {
  const reports = [await parseMarkdown('example/report.md', example.markdown)];
  if (example.previous) reports.push(await parseMarkdown('example/previous.md', example.previous));
  for (const [i, other] of (example.others ?? []).entries()) reports.push(await parseMarkdown(`example/other-${i}.md`, other));
  return checkReports(reports).filter((f) => f.ruleId === ruleId && f.file === 'example/report.md');
}

test('every rule of RULES.md is implemented once, with examples both ways', () => {
  const ids = rules.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.sort()).toEqual(
    [
      'requests-balance', 'requests-results-total', 'requests-applicant-total', 'review-total', 'cell-value', 'cell-missing',
      'sections', 'issued-within-stock', 'prose-table', 'fee-statement', 'fee-notice', 'template-year', 'legacy-format',
      'statistics-period', 'overview-length', 'other-handling-share', 'carry-over', 'stock-flow', 'repeated-text', 'year-jump',
      'aggregate', 'deadline',
    ].sort(),
  );
  for (const rule of rules) {
    expect(rule.examples.pass.length, rule.id).toBeGreaterThan(0);
    expect(rule.examples.fail.length, rule.id).toBeGreaterThan(0);
    expect(rule.title + rule.description + rule.basisText, rule.id).toMatch(/[\u4e00-\u9fa5]/);
  }
});

describe.each(rules.map((r) => [r.id, r] as const))('%s', (id, rule) => {
  test.each(rule.examples.pass.map((e) => [e.title, e] as const))('passes: %s', async (_title, example) => {
    expect(await findingsOf(id, example)).toEqual([]);
  });
  test.each(rule.examples.fail.map((e) => [e.title, e] as const))('fails: %s', async (_title, example) => {
    const found = await findingsOf(id, example);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]?.severity).toBe(rule.severity);
  });
});
