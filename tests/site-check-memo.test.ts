/**
 * The check memo (src/site/check-memo.ts): a rebuild that checks again only
 * the bodies a change touched, taking repeated-text's findings and the other
 * reports' list views from the memo, gives exactly the cold build's site and
 * findings, whichever way the change reaches other reports.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCorpora } from '../src/bench/corpus.js';
import { totalColumnIndex } from '../src/rules/cells.js';
import { shardKey, shardOf } from '../src/content/file-identity.js';
import { build, type BuildResult } from '../src/site/build.js';
import { listViewOf, memoKey, memoRows, readMemo, recheck, saveMemo } from '../src/site/check-memo.js';
import { BuildCache, sha256, templatesDir, versionKey } from '../src/site/cache.js';
import { findingsHashOf } from '../src/site/hash.js';
import { decodeManifest, MANIFEST_KIND } from '../src/site/manifest.js';
import { summaryOf } from '../src/rules/finding-counts.js';
import { findingsByFile, inPageOrder } from '../src/rules/finding-order.js';
import { freshReading } from '../src/site/load-task.js';
import { viewOf, type Reading } from '../src/site/readings.js';
import { indexedView } from '../src/site/site-index.js';
import { checkReports } from '../src/rules/run.js';
import type { Report } from '../src/template/model.js';
import { addToTotal, readSite, tempDir } from './site-helpers.js';

function expectSameSite(cold: string, cached: string): void {
  const left = readSite(cold);
  const right = readSite(cached);
  expect([...right.keys()]).toEqual([...left.keys()]);
  for (const [path, bytes] of left) expect(right.get(path)?.equals(bytes), path).toBe(true);
}

/** Replaces section 五 of a text report (up to section 六). */
function rewriteProblems(file: string, text: string): void {
  const raw = readFileSync(file, 'utf8');
  const rewritten = raw.replace(/(\n五、[^\n]*\n)[\s\S]*?(\n六、)/, (_, head: string, next: string) => `${head}${text}\n${next}`);
  if (rewritten === raw) throw new Error(`${file}: no section 五 followed by 六`);
  writeFileSync(file, rewritten);
}

/** The keys of the parts of the site last written to `out`, as its build kept them in `cache`, sorted. */
function partKeys(cache: string, out: string): string[] {
  const stored = new BuildCache(cache, versionKey(templatesDir)).getFiles(MANIFEST_KIND, sha256('site', resolve(out)));
  return [...(decodeManifest(stored ?? [])?.manifest().parts?.keys() ?? [])].sort();
}

const ofRule = (result: BuildResult, ruleId: string) => result.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.file} ${f.message}`);

/** A generated text corpus of 30 reports, built once with a cache: the folders of its content, cache and site. */
async function builtCorpus(name: string): Promise<{ content: string; cache: string; out: string }> {
  const content = (await writeCorpora(tempDir(`${name}-corpus`), 30)).text;
  const work = tempDir(name);
  const cache = join(work, 'cache');
  const out = join(work, 'dist');
  await build({ content, out, cache, allowErrors: true });
  return { content, cache, out };
}

describe('the check memo', () => {
  it('gives the cold build\'s site and findings after changes that reach other reports\' findings', { timeout: 300_000 }, async () => {
    const { content, cache, out } = await builtCorpus('memo');
    /** Rebuilds with the cache and builds cold into a new folder: the same site and findings, and its parts under the same keys. */
    const check = async () => {
      const cached = await build({ content, out, cache, allowErrors: true });
      const coldWork = tempDir('memo-cold');
      const [coldOut, coldCache] = [join(coldWork, 'dist'), join(coldWork, 'cache')];
      const cold = await build({ content, out: coldOut, cache: coldCache, allowErrors: true });
      expect(cached.findings).toEqual(cold.findings);
      expect(cached.reports).toEqual(cold.reports);
      expectSameSite(coldOut, out);
      // Keys made of what the memo kept (the rebuild's) and of the reports checked afresh (the cold build's) alike.
      expect(partKeys(cache, out)).toEqual(partKeys(coldCache, coldOut));
      return cached;
    };
    const [body, otherBody] = ['示例县第1局', '示例县第2局'].map((name) => join(content, name));
    // A carried-forward figure changed: the next year's carry-over finding appears, and goes again when it is put back.
    const before = await check();
    await addToTotal(join(body!, '2022.txt'), 'carriedForward', 5);
    const carried = await check();
    expect(ofRule(carried, 'carry-over').filter((f) => !ofRule(before, 'carry-over').includes(f)).some((f) => f.includes('2023'))).toBe(true);
    await addToTotal(join(body!, '2022.txt'), 'carriedForward', -5);
    expect(ofRule(await check(), 'carry-over')).toEqual(ofRule(before, 'carry-over'));
    // Section 五 of a report rewritten: repeated-text's findings in another body's report of that year change (it no longer
    // matches this one), and come back when it is put back.
    const first2023 = join(body!, '2023.txt');
    const original = readFileSync(first2023);
    rewriteProblems(first2023, '本年度依申请公开答复中说理不够充分的问题较为突出，部分栏目更新滞后。下一步将逐件复核答复文书，建立栏目更新台账，明确责任人和时限，按月通报整改进度，确保问题逐项销号，并将公开工作纳入年度绩效考核。');
    const rewritten = await check();
    const [now, then] = [ofRule(rewritten, 'repeated-text'), ofRule(before, 'repeated-text')];
    const differing = [...now.filter((f) => !then.includes(f)), ...then.filter((f) => !now.includes(f))];
    expect(differing.some((f) => !f.startsWith('示例县第1局/'))).toBe(true);
    // A figure of a report whose findings include repeated-text's changes, its section 五 not: those findings are the memo's.
    await addToTotal(join(otherBody!, '2023.txt'), 'newReceived', 3);
    expect(ofRule(await check(), 'repeated-text')).toEqual(ofRule(rewritten, 'repeated-text'));
    writeFileSync(first2023, original);
    expect(ofRule(await check(), 'repeated-text')).toEqual(ofRule(before, 'repeated-text'));
    // An accepted exception in a sidecar, then its reason changed.
    const flagged = before.findings.find((f) => f.file.startsWith('示例县第1局/'));
    expect(flagged).toBeDefined();
    const sidecar = join(content, flagged!.file.replace(/\.txt$/, '.accept.yaml'));
    writeFileSync(sidecar, `- rule: ${flagged!.ruleId}\n  reason: 测试\n`);
    expect((await check()).accepted).toBeGreaterThan(0);
    writeFileSync(sidecar, `- rule: ${flagged!.ruleId}\n  reason: 另一个理由\n`);
    await check();
    rmSync(sidecar);
    // A report added (a new body); one moved to that body, then to another year; then deleted; then the body's folder.
    const newBody = join(content, '示例县第99局');
    mkdirSync(newBody);
    writeFileSync(join(newBody, '2024.txt'), readFileSync(join(body!, '2024.txt')));
    await check();
    renameSync(join(body!, '2023.txt'), join(newBody, '2023.txt'));
    await check();
    renameSync(join(newBody, '2023.txt'), join(newBody, '2020.txt'));
    await check();
    rmSync(join(newBody, '2020.txt'));
    await check();
    rmSync(newBody, { recursive: true });
    await check();
  });

  it('refuses to write after a change that brings an error, counting and listing the findings as a cold build does', { timeout: 300_000 }, async () => {
    const { content, cache, out } = await builtCorpus('memo-error');
    const before = readSite(out);
    // Table 三's total of requests received no longer the sum of its columns: an error in that report alone.
    await addToTotal(join(content, '示例县第2局', '2023.txt'), 'newReceived', 3);
    const refused = await build({ content, out, cache });
    const cold = await build({ content, out: join(tempDir('memo-error-cold'), 'dist') });
    expect(refused.written).toBe(false);
    expect(refused.errors).toBeGreaterThan(0);
    expect([refused.errors, refused.warnings, refused.infos, refused.accepted]).toEqual([cold.errors, cold.warnings, cold.infos, cold.accepted]);
    expect(refused.findings).toEqual(cold.findings);
    const after = readSite(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [path, bytes] of before) expect(after.get(path)?.equals(bytes), path).toBe(true);
  });

  it('is not read when its shards were written by different builds (as by two builds of the content at once)', { timeout: 300_000 }, async () => {
    const { content, cache, out } = await builtCorpus('memo-race');
    // The shard files of two reports of one body, in different shards: the later's findings depend on the earlier.
    const name = memoKey(JSON.stringify([content, resolve(content)]));
    const [version] = readdirSync(cache).filter((n) => n.startsWith('v-'));
    const shardFile = (file: string) => join(cache, version!, 'check-memo', name.slice(0, 2), `${shardKey(name, shardOf(file))}.json`);
    const [earlier, later] = ['示例县第1局/2022.txt', '示例县第1局/2023.txt'];
    expect(shardOf(earlier!)).not.toBe(shardOf(later!));
    const before = readFileSync(shardFile(later!));
    // The earlier report's carried-forward figure changed: the later one's carry-over finding appears; then the later one's
    // shard as an older build of the content wrote it, and a change elsewhere, so that the memo is read again.
    await addToTotal(join(content, earlier!), 'carriedForward', 5);
    const changed = await build({ content, out, cache, allowErrors: true });
    expect(changed.findings.some((f) => f.file === later && f.ruleId === 'carry-over')).toBe(true);
    writeFileSync(shardFile(later!), before);
    await addToTotal(join(content, '示例县第3局/2022.txt'), 'newReceived', 2);
    const cached = await build({ content, out, cache, allowErrors: true });
    const coldOut = join(tempDir('memo-race-cold'), 'dist');
    const cold = await build({ content, out: coldOut, allowErrors: true });
    expect(cached.findings).toEqual(cold.findings);
    expectSameSite(coldOut, out);
  });

  it('gives back, as stored, each report\'s findings and list view, whatever its table 三 rows and cells', { timeout: 120_000 }, async () => {
    const corpus = await writeCorpora(tempDir('memo-rows-corpus'), 40);
    const files = readdirSync(corpus.text, { recursive: true }).map(String).filter((file) => file.endsWith('.txt')).sort();
    const readings: Reading[] = [];
    for (const file of files) {
      const path = join(corpus.text, file);
      const fresh = await freshReading({ path, file }, readFileSync(path));
      if (!('parsed' in fresh)) throw new Error(`${file} does not read`);
      readings.push({ ...indexedView(fresh.parsed), key: file, digest: file, task: { path, file }, accepted: [], whole: null });
    }
    const views = readings.map((reading) => viewOf(reading).report);
    // Table 三 of other shapes (a row missing, one longer) and totals that are no plain figures, each in one report only.
    const [fewer, longer, worded, dashed] = views as [Report, Report, Report, Report];
    delete fewer.tables.requests!.granted;
    longer.tables.requests!.extra = [...longer.tables.requests!.newReceived!, ...longer.tables.requests!.newReceived!];
    worded.tables.requests!.carriedOver![totalColumnIndex] = { state: 'unread', value: null, text: '见说明', position: { line: 3, column: 4 } };
    dashed.tables.requests!.carriedOver![totalColumnIndex] = { state: 'dash', value: null, text: '—', position: { line: 5, column: 6 } };
    const findings = checkReports(views, new Map(readings.map((reading) => [reading.task.file, viewOf(reading).messages])));
    expect(findings.length).toBeGreaterThan(2);
    // An accepted finding, one without cells, and one accepted without cells: kept with exactly their keys.
    findings[0]!.accepted = '测试：已核实';
    delete findings[1]!.cells;
    findings[2]!.accepted = '另一个理由';
    delete findings[2]!.cells;
    const ofFile = findingsByFile(findings);
    const keys = readings.map((reading) => createHash('sha256').update(reading.task.file).digest('hex'));
    const rows = memoRows(readings, keys, views, findings);
    expect(rows).not.toBeNull();
    // Kept and read back as a build does.
    const cache = new BuildCache(tempDir('memo-rows-cache'), 'test');
    saveMemo(cache, 'memo', rows!);
    const stored = await readMemo(cache, 'memo', files);
    expect(stored).not.toBeNull();
    // A head without the shapes its rows name is no memo.
    expect(recheck(readings, keys, { ...stored!, shapes: new Map() })).toBeNull();
    const again = recheck(readings, keys, stored);
    expect(again).not.toBeNull();
    // Nothing changed: no report checked again, every one's findings as the memo holds them, their keys in the same order
    // (what the site's keys hash), and their summaries as the site works them out.
    expect(again!.findings).toEqual([]);
    expect(JSON.stringify(again!.allFindings())).toBe(JSON.stringify(findings));
    expect(again!.reports.map((report) => again!.summarised.get(report)?.summary)).toEqual(views.map((view) => summaryOf(ofFile.get(view.file) ?? [])));
    expect(again!.reports).toEqual(views.map(listViewOf));
    expect(again!.reports.map((report) => report.tables.requests && Object.keys(report.tables.requests))).toEqual(views.map((view) => view.tables.requests && Object.keys(view.tables.requests)));
    // And the hash of each one's findings, as the site works it out of them.
    expect(again!.reports.map((report) => again!.findingsHashes.get(report))).toEqual(views.map((view) => findingsHashOf(inPageOrder(ofFile.get(view.file) ?? []))));
  });
});

