/**
 * The figures the prose states (prose-figures.ts) on the corpus reports and
 * minimally changed copies: how paragraphs are parted, spaces between a
 * figure and its unit, and full-width figures change no claim; a paragraph
 * break inside a sentence parts it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { proseClaims } from '../src/rules/prose-figures.js';
import type { Report } from '../src/template/model.js';
import { corpusDir, parseFixture } from './helpers/corpus.js';

const reportsWithClaims: Promise<{ name: string; report: Report }[]> = (async () => {
  const found: { name: string; report: Report }[] = [];
  for (const name of readdirSync(join(corpusDir, 'reports')).sort()) {
    const report = await parseFixture(join(corpusDir, 'reports', name)).catch(() => null);
    if (report && proseClaims(report).length > 0) found.push({ name, report });
  }
  return found;
})();

function withProse(report: Report, change: (text: string) => string): Report {
  return { ...report, sections: report.sections.map((section) => ({ ...section, text: change(section.text) })) };
}

const FIGURE_AND_UNIT = /([0-9]+)([件个起])/g;

test('the corpus reports state figures the rule reads', async () => {
  const reports = await reportsWithClaims;
  // The text forms hold most of the claims: at least a handful of reports, each with its claims.
  expect(reports.length).toBeGreaterThanOrEqual(5);
});

test('how paragraphs are parted changes no claim', async () => {
  let parted = 0;
  for (const { name, report } of await reportsWithClaims) {
    const copy = withProse(report, (text) => text.replace(/\n\s*\n/g, () => (parted++, '\n \u3000\r\n')));
    expect(proseClaims(copy), name).toEqual(proseClaims(report));
  }
  expect(parted).toBeGreaterThan(0);
});

test('spaces between a figure and its unit change no claim', async () => {
  for (const { name, report } of await reportsWithClaims) {
    const copy = withProse(report, (text) => text.replace(FIGURE_AND_UNIT, '$1 \u3000$2'));
    expect(proseClaims(copy), name).toEqual(proseClaims(report));
  }
});

test('full-width figures are read as their ASCII forms', async () => {
  let compared = 0;
  for (const { name, report } of await reportsWithClaims) {
    const fullWidth = (digits: string) => [...digits].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('');
    const copy = withProse(report, (text) => text.replace(FIGURE_AND_UNIT, (_, digits: string, unit: string) => fullWidth(digits) + unit));
    // A section with no ASCII digit left is not searched at all (as before): only copies that keep one compare.
    if (copy.sections.some((s, i) => report.sections[i]!.text !== s.text && !/\d/.test(s.text))) continue;
    compared++;
    expect(proseClaims(copy), name).toEqual(proseClaims(report));
  }
  expect(compared).toBeGreaterThan(0);
});

test('a paragraph break before a claimed figure parts its sentence, and that claim alone is lost; a line break does not', async () => {
  for (const { name, report } of await reportsWithClaims) {
    const claims = proseClaims(report);
    const claim = claims.find((c) => c.target.name === '收到（受理）申请');
    if (!claim) continue;
    const sameClaim = (c: (typeof claims)[number]) => c.target.name === claim.target.name && c.value === claim.value;
    const figure = new RegExp(`(收到|受理|新收)([^。；，]*?)${claim.value}([件个])`);
    const section = report.sections.find((s) => figure.test(s.text));
    if (!section) continue;
    const breakBefore = (separator: string) =>
      withProse(report, (text) => (text === section.text ? text.replace(figure, `$1$2${separator}${claim.value}$3`) : text));
    expect(proseClaims(breakBefore('\n \u3000\r\n')).filter(sameClaim).length, name).toBe(claims.filter(sameClaim).length - 1);
    expect(proseClaims(breakBefore('\n \u3000')), name).toEqual(claims);
    return;
  }
  throw new Error('no corpus report states the applications it received');
});
