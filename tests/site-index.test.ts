/**
 * The site index keeps of each report only its site view (site-index.ts
 * siteView): a rebuild makes the site's lists and runs the rules across
 * reports on the views, and reads a whole report only for the pages made
 * from it. Held here on the corpus and the combined-report fixture: the
 * views give the same findings and the same site, page by page and file by
 * file, as the whole reports.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryOfIndexed } from '../src/content/check-index.js';
import { parseReport } from '../src/parse/index.js';
import { checkReports, reportRuleMessages, rules } from '../src/rules/run.js';
import { wholeReportsNeeded } from '../src/rules/view.js';
import { BuildCache, sha256, templatesDir, versionKey } from '../src/site/cache.js';
import { settleListedViews } from '../src/site/listed-views.js';
import { readAll } from '../src/site/readings.js';
import { indexedView } from '../src/site/site-index.js';
import { buildSite, loadOnDemand } from '../src/site/view/site.js';
import type { Message, Report } from '../src/template/model.js';
import { corpusDir, fixtures } from './helpers/corpus.js';
import { makeContent, tempDir } from './site-helpers.js';

/** The corpus reports that read as reports, each under a name of its own, and the combined fixture with the two it combines. */
async function corpusReports(): Promise<{ report: Report; messages: Message[] }[]> {
  const dir = join(corpusDir, 'reports');
  const sources = readdirSync(dir).map((name) => ({ path: join(dir, name), file: `corpus/${name}` }));
  sources.push({ path: join(fixtures, 'combined/两地汇总示例/2025.md'), file: '两地汇总示例/2025.md' });
  const read = [];
  for (const { path, file } of sources) {
    const result = await parseReport(path, readFileSync(path));
    if (!result.ok) continue;
    result.report.file = file;
    read.push({ report: result.report, messages: reportRuleMessages(result.report) });
  }
  return read;
}

describe('site views', () => {
  it('give the findings and the site the whole reports give', { timeout: 120_000 }, async () => {
    await loadOnDemand(rules);
    const read = await corpusReports();
    expect(read.length).toBeGreaterThan(12);
    const whole = read.map((r) => r.report);
    expect(whole.some((r) => (r.meta.combines ?? []).length > 0)).toBe(true);
    const perReport = new Map(read.map((r) => [r.report.file, r.messages]));
    // As the build reads them back from the index: through its text form, sharing nothing with the whole reports.
    const views = read.map((r) => entryOfIndexed(indexedView(r).text).report);
    const needed = wholeReportsNeeded(views);
    expect(needed.size).toBeGreaterThan(0);
    const checked = views.map((view, i) => (needed.has(view.file) ? (whole[i] as Report) : view));
    const findings = checkReports(whole, perReport);
    expect(checkReports(checked, perReport)).toEqual(findings);
    expect(findings.length).toBeGreaterThan(0);

    const keys = whole.map((report) => sha256(JSON.stringify(report)));
    const wholeOfView = new Map(views.map((view, i) => [view, whole[i] as Report]));
    const common = { findings, failures: [], rules, baseUrl: 'https://example.org/' };
    const fromWhole = buildSite({ ...common, reports: whole, reportKeys: new Map(whole.map((r, i) => [r, keys[i] as string])) });
    const fromViews = buildSite({
      ...common,
      reports: views,
      reportKeys: new Map(views.map((r, i) => [r, keys[i] as string])),
      whole: (view) => wholeOfView.get(view) ?? view,
    });
    expect(fromViews.files.map((file) => [file.path, file.make()])).toEqual(fromWhole.files.map((file) => [file.path, file.make()]));
    expect(fromViews.parts.map((p) => [p.key, p.pages])).toEqual(fromWhole.parts.map((p) => [p.key, p.pages]));
    // With the listed keys the index keeps, on views settled as the build lists them: the same parts' keys.
    const indexed = read.map((r) => indexedView(r));
    const settled = indexed.map((r) => entryOfIndexed(r.text).report);
    settleListedViews(settled);
    const fromIndexed = buildSite({
      ...common,
      reports: settled,
      reportKeys: new Map(settled.map((r, i) => [r, keys[i] as string])),
      listedKeys: new Map(settled.map((r, i) => [r, indexed[i]?.listed as string])),
    });
    expect(fromIndexed.parts.map((p) => [p.key, p.pages])).toEqual(fromWhole.parts.map((p) => [p.key, p.pages]));
    const kinds = new Set<string>();
    fromWhole.parts.forEach((part, i) => {
      const made = part.make();
      for (const page of made.pages) kinds.add(page.kind);
      expect(fromViews.parts[i]?.make(), part.pages[0]?.path).toEqual(made);
    });
    expect([...kinds].sort()).toEqual(['body', 'combined', 'compare', 'home', 'not-found', 'report', 'rule', 'search', 'year']);
  });

  it('tells how many files a rebuild reads afresh: all at first, none unchanged, the one changed', { timeout: 120_000 }, async () => {
    const content = makeContent({ '000': '桐柏县应急管理局/2022.txt', '004': '平潭综合实验区/2022.txt', '005': '平潭综合实验区/2021.txt', '011': '沭阳县人民政府/2025.md' });
    const cache = BuildCache.open(join(tempDir('readings-cache'), 'cache'), versionKey(templatesDir));
    const paths = ['平潭综合实验区/2021.txt', '平潭综合实验区/2022.txt', '桐柏县应急管理局/2022.txt', '沭阳县人民政府/2025.md'];
    const tasks = paths.map((file) => ({ path: join(content, file), file }));
    const options = { cache, workers: 1, mayHaveSidecar: () => false, indexName: content, useIndex: true };
    const first = await readAll(tasks, options);
    expect(first.readings.every((reading) => reading !== null)).toBe(true);
    expect(first.afresh).toBe(4);
    expect((await readAll(tasks, options)).afresh).toBe(0);
    // The build leaves the heap's growth to V8 on this count (site/build.ts fewPercent): one report changed is one.
    appendFileSync(join(content, '平潭综合实验区/2022.txt'), '\n');
    const changed = await readAll(tasks, options);
    expect(changed.afresh).toBe(1);
    expect(changed.readings.map((reading) => reading?.task.file)).toEqual(paths);
  });
});
