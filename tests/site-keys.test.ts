/**
 * A rebuild keeps every part and site-wide file whose key the previous site
 * had: so two sites' parts (and site-wide files) of the same key must make the
 * same bytes, whatever changed between them. Checked for the pages and files
 * made from every report (lists of bodies, years and rules, home page, key
 * figures' download, feed, sitemap) across changes each of them shows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { totalColumnIndex } from '../src/rules/cells.js';
import { rules } from '../src/rules/run.js';
import type { Finding } from '../src/rules/types.js';
import { createRenderer } from '../src/site/render.js';
import { bodiesPerPage, buildSite, loadOnDemand, type SiteInput } from '../src/site/view/site.js';
import type { Report } from '../src/template/model.js';
import { refigured } from './helpers/refigure.js';

const seed = 'tests/fixtures/corpus/reports/000-tongbai-yingji-2022.txt';
const render = createRenderer();

/** What each key of a site makes, for the parts that are not one body's report or comparison pages (and every site-wide file). */
function madeByKey(input: SiteInput): Map<string, string> {
  const site = buildSite(input);
  const made = new Map<string, string>();
  for (const part of site.parts) {
    if (part.key === null || part.ofBody) continue;
    const { pages, files } = part.make();
    made.set(part.key, JSON.stringify([...pages.map((page) => [page.path, render(page)]), ...files.map((file) => [file.path, file.content])]));
  }
  for (const file of site.files) {
    const content = file.make();
    made.set(file.key, JSON.stringify([file.path, typeof content === 'string' ? content : Buffer.from(content).toString('utf8')]));
  }
  return made;
}

/** The keys both sites have, whose bytes differ: none may. */
function wronglyKept(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([key, bytes]) => before.has(key) && before.get(key) !== bytes).map(([key]) => key);
}

/** The keys of the parts of the given kinds (pages of the list of bodies: the home page, and the further pages). */
function keysOf(input: SiteInput, kinds: readonly string[]): (string | null)[] {
  return buildSite(input).parts.filter((part) => kinds.includes(part.pages[0]?.kind ?? '')).map((part) => part.key);
}

/** `count` reports of the seed, one body each, published. */
async function seedReports(count: number): Promise<Report[]> {
  const read = await parseReport(seed, readFileSync(seed));
  if (!read.ok) throw new Error('seed report unreadable');
  return Array.from({ length: count }, (_, i) => ({
    ...structuredClone(read.report),
    file: `机构${String(i).padStart(4, '0')}/2022.txt`,
    meta: { ...read.report.meta, agency: `机构${String(i).padStart(4, '0')}`, published: '2023-01-15' },
  }));
}

/** A carry-over warning on the report: its status on the lists, and the counts the home page shows. */
function warningOn(report: Report): Finding {
  return { ruleId: 'carry-over', severity: 'warning', message: '结转数不符', line: 1, column: 1, file: report.file, fingerprint: 'f' };
}

/** The key of the site-wide file at `path`. */
function fileKey(input: SiteInput, path: string): string | undefined {
  return buildSite(input).files.find((file) => file.path === path)?.key;
}

describe('parts and site-wide files kept by key', () => {
  it('keep the pages of the list of bodies when a figure they do not show changes, not when a status they show does', async () => {
    const reports = await seedReports(bodiesPerPage + 5);
    const base: SiteInput = { reports, findings: [], failures: [], rules, baseUrl: 'http://localhost:4173/' };
    const lists = ['home', 'bodies'];
    const before = keysOf(base, lists);
    expect(before).toHaveLength(2);
    // A figure of a report on each page: neither page shows figures.
    const figures = keysOf({ ...base, reports: reports.map((report, i) => (i === 3 || i === bodiesPerPage + 2 ? refigured(report) : report)) }, lists);
    expect(figures).toEqual(before);
    // A finding on a report of the second page: its status there changes, and with it that page's key (the home page's counts too).
    const status = keysOf({ ...base, findings: [warningOn(reports[bodiesPerPage + 2]!)] }, lists);
    expect(status[0]).not.toEqual(before[0]);
    expect(status[1]).not.toEqual(before[1]);
  });

  it('keep the key figures\' download and the feed when a change each does not show is made, not when one it shows is', async () => {
    const reports = await seedReports(5);
    const base: SiteInput = { reports, findings: [], failures: [], rules, baseUrl: 'http://localhost:4173/' };
    // Each change to the third report.
    const third = (change: (report: Report) => Report) => ({ ...base, reports: reports.map((report, i) => (i === 2 ? change(report) : report)) });
    const meta = (change: Partial<Report['meta']>) => third((report) => ({ ...report, meta: { ...report.meta, ...change } }));
    const changes: Record<string, SiteInput> = {
      // A finding, as when an exception is accepted or another report of the body changes.
      finding: { ...base, findings: [warningOn(reports[2]!)] },
      figure: third(refigured),
      // The content layout names a report's body (as seedReports places them); its year is the one it states.
      body: third((report) => ({ ...report, file: '另一机构/2022.txt' })),
      year: meta({ year: 2021 }),
      title: meta({ title: '另一标题' }),
      published: meta({ published: '2023-02-01' }),
    };
    // Of each file, the changes it shows (its key changes) and some it does not (its key stays): the download shows a report's
    // body, year and figures, not its findings; the feed its body, year, status, title and date, not its figures.
    const files: Record<string, { shown: string[]; notShown: string[] }> = {
      'downloads/key-figures.csv': { shown: ['figure', 'body', 'year'], notShown: ['finding'] },
      'feed.xml': { shown: ['finding', 'body', 'year', 'title', 'published'], notShown: ['figure'] },
    };
    for (const [path, { shown, notShown }] of Object.entries(files)) {
      const before = fileKey(base, path);
      expect(before).toBeDefined();
      for (const name of shown) expect(fileKey(changes[name]!, path), `${path}: ${name}`).not.toBe(before);
      for (const name of notShown) expect(fileKey(changes[name]!, path), `${path}: ${name}`).toBe(before);
    }
  });

  it('keep the other pages of a rule\'s long list when one finding is accepted, with the same bytes for the same key', { timeout: 120_000 }, async () => {
    await loadOnDemand(rules);
    // 160 reports, 3 findings of one rule each but two with 10 (over the second page's first and last lines): 494 listed
    // over 3 pages.
    const reports = await seedReports(160);
    const finding = (report: Report, k: number): Finding => ({ ruleId: 'carry-over', severity: 'warning', message: `第 ${k + 1} 项不符`, line: k + 1, column: 1, file: report.file, fingerprint: `f${report.file}-${k}` });
    const findingsOf = (report: Report, i: number): Finding[] => Array.from({ length: i === 66 || i === 130 ? 10 : 3 }, (_, k) => finding(report, k));
    const findings = reports.flatMap(findingsOf);
    const base: SiteInput = { reports, findings, failures: [], rules, baseUrl: 'http://localhost:4173/' };
    const ruleKeys = (input: SiteInput) => buildSite(input).parts.filter((part) => part.pages[0]?.kind === 'rule' && part.pages[0].path.startsWith('rules/carry-over')).map((part) => part.key);
    const before = ruleKeys(base);
    expect(before).toHaveLength(3);
    // The 300th finding (on the second page) accepted: that page alone is made again.
    const accepted = findings.map((f, i) => (i === 300 ? { ...f, accepted: '已核实' } : f));
    const after = ruleKeys({ ...base, findings: accepted });
    expect(after.map((key, i) => key === before[i])).toEqual([true, false, true]);
    // One finding fewer on the first page: the count every page shows, and every later page's list, change.
    const fewer = findings.filter((_, i) => i !== 5);
    expect(ruleKeys({ ...base, findings: fewer }).filter((key) => before.includes(key))).toEqual([]);
    // One fewer on the last page: the other pages list the same findings, under a count that changed.
    const fewerLast = findings.filter((_, i) => i !== 470);
    // One fewer on the first page and one more on the last: the second page lists the same reports, from one finding on.
    const shifted = [...fewer, finding(reports[159]!, 3)];
    const made = madeByKey(base);
    for (const variant of [accepted, fewer, fewerLast, shifted]) expect(wronglyKept(made, madeByKey({ ...base, findings: variant }))).toEqual([]);
  });

  it('make the same bytes for the same key, after a change to a report\'s figures, findings, meta, the bodies or the address', { timeout: 120_000 }, async () => {
    await loadOnDemand(rules);
    // Past two pages of bodies, so that the list goes on over a third page (and the second may list the same bodies among more).
    const count = 2 * bodiesPerPage + 5;
    const reports = await seedReports(count);
    const base: SiteInput = { reports, findings: [], failures: [], rules, baseUrl: 'http://localhost:4173/' };
    const before = madeByKey(base);

    // The figure of requests received of one report (on the last page of bodies).
    const refiguredOne = reports.map((report, i) => (i === count - 2 ? refigured(report) : report));
    // The publication date of one report: the feed.
    const republished = reports.map((report, i) => (i === 7 ? { ...report, meta: { ...report.meta, published: '2023-02-01' } } : report));
    const variants: SiteInput[] = [
      { ...base, reports: refiguredOne },
      // A finding on one report: its status on the lists (of the first page of bodies, or the last), and the home page's counts.
      { ...base, findings: [warningOn(reports[3]!)] },
      { ...base, findings: [warningOn(reports[count - 3]!)] },
      { ...base, reports: republished },
      // One body fewer, or one more at the end of the list: the list of bodies (every page counts them) and the sitemap.
      { ...base, reports: reports.slice(1) },
      { ...base, reports: [...reports, { ...reports[0]!, file: '机构9999/2022.txt', meta: { ...reports[0]!.meta, agency: '机构9999' } }] },
      { ...base, baseUrl: 'https://example.org/nianbao/' },
    ];
    for (const variant of variants) {
      const after = madeByKey(variant);
      expect(wronglyKept(before, after)).toEqual([]);
      // Each change leaves most keys as they were: the test compares kept parts, not merely new ones.
      expect([...after.keys()].filter((key) => before.has(key)).length).toBeGreaterThan(0);
    }
  });
});
