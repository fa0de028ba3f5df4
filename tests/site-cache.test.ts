/**
 * Incremental builds and worker threads: a build that reuses the cache gives
 * exactly the site a cold build gives, a changed template or rule (nianbao's
 * own code) is never served from an older cache, a damaged cache entry is
 * read again, and reading with one worker or two gives the same site.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { breakOneSum, correctOneReport, writeCorpora } from '../src/bench/corpus.js';
import { build, type BuildResult } from '../src/site/build.js';
import { BuildCache, templatesDir, versionKey } from '../src/site/cache.js';
import { addToTotal, makeContent, readSite, tempDir } from './site-helpers.js';

const cli = resolve('bin/nianbao.js');
const corpusSet = {
  '000': '桐柏县应急管理局/2022.txt',
  '004': '平潭综合实验区/2022.txt',
  '005': '平潭综合实验区/2021.txt',
  '011': '沭阳县人民政府/2025.md',
};

function expectSameSite(a: string, b: string): void {
  const left = readSite(a);
  const right = readSite(b);
  expect([...right.keys()]).toEqual([...left.keys()]);
  for (const [path, bytes] of left) expect(right.get(path)?.equals(bytes), path).toBe(true);
}

/** The packs of report readings (cache.ts ReadingPacks), as paths. */
function packs(cache: string): string[] {
  return cacheFiles(cache).filter((p) => p.endsWith('.pack') && p.split(sep).includes('reports'));
}

/** The keys of the readings in a pack, with each one's text; none when its header is not sound. */
function packEntries(path: string): Map<string, string> {
  const bytes = readFileSync(path);
  const end = bytes.indexOf(0x0a, 65);
  const listed = end < 0 ? [] : (JSON.parse(bytes.toString('utf8', 65, end)) as [string, number, string][]);
  let offset = end + 1;
  return new Map(
    listed.map(([key, length]) => {
      offset += length;
      return [key, bytes.toString('utf8', offset - length, offset)];
    }),
  );
}

/** The keys of the report readings the cache holds, each once. */
function entries(cache: string): string[] {
  return [...new Set(packs(cache).flatMap((p) => [...packEntries(join(cache, p)).keys()]))];
}

/** Files under the cache's version folders: replaced sites are being deleted from the trash beside them meanwhile. */
function cacheFiles(cache: string): string[] {
  return readdirSync(cache)
    .filter((name) => name.startsWith('v-'))
    .flatMap((version) => readdirSync(join(cache, version), { recursive: true }).map((p) => join(version, String(p))));
}

describe('build cache', () => {
  it('gives the same site as a cold build after a report changed, and reads only the changed report again', async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('cache');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    expect((await build({ content, out, cache })).written).toBe(true);
    const before = entries(cache);
    expect(before).toHaveLength(4);
    // A correction in 004's prose: the report's page changes, the others' readings come from the cache.
    const file = join(content, '平潭综合实验区/2022.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('2022年', '2022 年'));
    expect((await build({ content, out, cache })).written).toBe(true);
    const after = entries(cache);
    expect(after.filter((p) => !before.includes(p))).toHaveLength(1);
    const cold = join(tempDir('cold'), 'dist');
    expect((await build({ content, out: cold })).written).toBe(true);
    expectSameSite(cold, out);
    // And once more with nothing changed.
    await build({ content, out, cache });
    expectSameSite(cold, out);
  });

  it('reads a report again when its cache entry is damaged and a page made from it is to be made', async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('cache-torn');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    await build({ content, out, cache });
    const [first] = packs(cache);
    const path = join(cache, first!);
    const bytes = readFileSync(path);
    const readings = packEntries(path);
    expect(readings.size).toBe(4);
    const cold = join(tempDir('cold'), 'dist');
    await build({ content, out: cold });
    // Torn: the pack cut short in its first reading. Each time a new folder, whose pages are all made: every reading is read
    // again, in the same order, so the same pack is made again (named by its header) in place of the torn one.
    const start = bytes.indexOf(0x0a, 65) + 1;
    writeFileSync(path, bytes.subarray(0, start + 100));
    const torn = join(work, 'dist-torn');
    expect((await build({ content, out: torn, cache })).written).toBe(true);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expectSameSite(cold, torn);
    // Damaged: a figure changed without its checksum. That reading alone is read again, into a pack of its own.
    writeFileSync(path, Buffer.from(bytes.toString('latin1').replace(/"value":(\d)/, (_, d: string) => `"value":${(Number(d) + 1) % 10}`), 'latin1'));
    const [changed, ...unchanged] = [...packEntries(path)].filter(([key, text]) => text !== readings.get(key)).map(([key]) => key);
    expect(changed).toBeDefined();
    expect(unchanged).toEqual([]);
    const damaged = join(work, 'dist-damaged');
    await build({ content, out: damaged, cache });
    const again = packs(cache).filter((p) => p !== first);
    expect(again.map((p) => [...packEntries(join(cache, p))])).toEqual([[[changed, readings.get(changed!)]]]);
    expectSameSite(cold, damaged);
    // A damaged header: the pack is not read at all, and made again whole.
    rmSync(join(cache, again[0]!));
    writeFileSync(path, Buffer.concat([bytes.subarray(0, 70), Buffer.from('x'), bytes.subarray(71)]));
    const header = join(work, 'dist-header');
    await build({ content, out: header, cache });
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expectSameSite(cold, header);
  });

  it('gives a site found unchanged with the result of the build that made it; a changed sidecar or an error no longer allowed is a change', async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('cache-unchanged');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    const outcome = ({ written, reports, reportCount, findings, failures, pages, files, bytes, errors, warnings, infos, accepted }: BuildResult) =>
      ({ written, reports, reportCount, findings, failures, pages, files, bytes, errors, warnings, infos, accepted });
    const first = await build({ content, out, cache });
    const again = await build({ content, out, cache });
    expect(again.rewritten).toBe(0);
    expect(outcome(again)).toEqual(outcome(first));
    expect(again.reportCount).toBe(4);
    // An exception that matches no finding is itself a finding (accept-unused).
    writeFileSync(join(content, '平潭综合实验区/2022.accept.yaml'), '- rule: requests-balance\n  reason: 测试\n');
    const accepting = await build({ content, out, cache });
    expect(accepting.rewritten).toBeGreaterThan(0);
    expect(accepting.findings.filter((f) => f.ruleId === 'accept-unused')).toHaveLength(1);
    expect(outcome(accepting)).toEqual(outcome(await build({ content, out: join(tempDir('cold'), 'dist') })));
    // An error written with --allow-errors stops the same content's next build without it.
    writeFileSync(join(content, '平潭综合实验区/2022.accept.yaml'), '- rule: requests-balance\n');
    const allowed = await build({ content, out, cache, allowErrors: true });
    expect(allowed.written && allowed.errors).toBeGreaterThan(0);
    const refused = await build({ content, out, cache });
    expect(refused.written).toBe(false);
    expect(refused.errors).toBe(allowed.errors);
  });

  it('is not trusted after a template changed', async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('cache-template');
    const cache = join(work, 'cache');
    const templates = join(work, 'templates');
    cpSync(templatesDir, templates, { recursive: true });
    const out = join(work, 'dist');
    await build({ content, out, cache, templates });
    const oldVersion = readdirSync(cache).filter((n) => n.startsWith('v-'));
    writeFileSync(join(templates, 'report.eta'), readFileSync(join(templates, 'report.eta'), 'utf8') + '\n<!-- changed -->\n');
    await build({ content, out, cache, templates });
    const newVersion = readdirSync(cache).filter((n) => n.startsWith('v-'));
    expect(newVersion).toHaveLength(1);
    expect(newVersion).not.toEqual(oldVersion);
    expect(entries(cache)).toHaveLength(4);
    const page = readSite(out);
    const reportPages = [...page.keys()].filter((p) => /^bodies\/[^/]+\/20\d\d\/index\.html$/.test(p));
    expect(reportPages.length).toBeGreaterThan(0);
    for (const p of reportPages) expect(page.get(p)!.toString('utf8')).toContain('<!-- changed -->');
  });

  it('finds the readings another thread kept after it first looked', async () => {
    const root = tempDir('packs');
    const [one, two] = ['ab'.repeat(32), 'cd'.repeat(32)];
    const reader = new BuildCache(root, 'v');
    const writer = new BuildCache(root, 'v', { prune: false });
    expect(reader.get('reports', one)).toBeNull();
    writer.put('reports', one, { figure: 1 });
    // Held until flushed (or the pack fills up): seen by its own cache only.
    expect(writer.get('reports', one)).toEqual({ figure: 1 });
    expect(reader.get('reports', one)).toBeNull();
    writer.flush();
    expect(reader.get('reports', one)).toEqual({ figure: 1 });
    // A pack added in the same tick of the folder's time as the last listing: found once that listing may have settled.
    writer.put('reports', two, { figure: 2 });
    writer.flush();
    await new Promise((done) => setTimeout(done, 60));
    expect(reader.get('reports', two)).toEqual({ figure: 2 });
    expect(packs(root)).toHaveLength(2);
  });

  it('kept only for one build, holds the readings it reads back and nothing only a later build would read', () => {
    const root = tempDir('not-lasting');
    const cache = new BuildCache(root, 'v', { lasting: false });
    const key = 'ab'.repeat(32);
    cache.put('reports', key, { figure: 1 });
    cache.flush();
    expect(cache.get('reports', key)).toEqual({ figure: 1 });
    cache.putFiles('search', key, [{ path: 'index.pf_meta', content: Buffer.from('索引') }]);
    cache.put('site-index', key, { figure: 2 });
    expect(cache.getFiles('search', key)).toBeNull();
    expect(cache.get('site-index', key)).toBeNull();
    expect(cacheFiles(root).every((path) => path.split(sep).includes('reports'))).toBe(true);
    expect(cache.trash).toBeUndefined();
    expect(new BuildCache(tempDir('lasting'), 'v').trash).toBeDefined();
  });

  it('is not trusted after a rule (or any of nianbao\'s code) changed', () => {
    const code = join(tempDir('code'), 'src');
    cpSync(resolve('src'), code, { recursive: true });
    const before = versionKey(templatesDir, code);
    expect(versionKey(templatesDir, code)).toBe(before);
    const rule = join(code, 'rules', 'review-total.ts');
    writeFileSync(rule, readFileSync(rule, 'utf8').replace("severity: 'error'", "severity: 'warning'"));
    const after = versionKey(templatesDir, code);
    expect(after).not.toBe(before);
    // Entries written under one version are not seen under another.
    const root = tempDir('versions');
    const kept = new BuildCache(root, before);
    kept.put('reports', 'ab'.repeat(32), { figure: 1 });
    kept.flush();
    expect(new BuildCache(root, before).get('reports', 'ab'.repeat(32))).toEqual({ figure: 1 });
    expect(new BuildCache(root, after).get('reports', 'ab'.repeat(32))).toBeNull();
    expect(readdirSync(root).filter((n) => n.startsWith('v-'))).toEqual([`v-${after}`]);
  });
});

/** The search shards' cache entries, as paths. */
function shardEntries(cache: string): string[] {
  return cacheFiles(cache).filter((p) => p.split(sep).includes('search') && p.endsWith('.json'));
}

/** Every file of a site with its bytes and inode. */
function siteFiles(out: string): Map<string, { bytes: Buffer; ino: number }> {
  return new Map([...readSite(out)].map(([path, bytes]) => [path, { bytes, ino: inode(out, path) }]));
}

function inode(out: string, path: string): number {
  return statSync(join(out, path)).ino;
}

describe('incremental output and a sharded search index', () => {
  // Four body buckets for a handful of bodies, so that the shards and their merging are exercised on the corpus.
  const searchBuckets = 4;

  it('rewrites only what a change touched, remakes only its shards, and gives the cold build\'s site', { timeout: 240_000 }, async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('incremental');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    const first = await build({ content, out, cache, searchBuckets });
    expect(first.rewritten).toBe(first.files);
    const shards = JSON.parse(readFileSync(join(out, 'pagefind', 'shards.json'), 'utf8')) as string[];
    expect(shards.length).toBeGreaterThan(1);
    const madeFirst = shardEntries(cache);
    expect(madeFirst).toHaveLength(shards.length + 1);
    const untouched = [...readSite(out).keys()].find((p) => p.startsWith('bodies/桐柏县应急管理局-') && p.endsWith('/2022/index.html'))!;
    const untouchedInode = inode(out, untouched);

    // Nothing changed: nothing written, no shard made, the same files in place.
    const again = await build({ content, out, cache, searchBuckets });
    expect(again.rewritten).toBe(0);
    expect(again.files).toBe(first.files);
    expect(again.pages).toBe(first.pages);
    expect(shardEntries(cache)).toEqual(madeFirst);
    expect(inode(out, untouched)).toBe(untouchedInode);
    // A stray file in the output and another address: the site is made again, and only the sitemap and feed differ.
    writeFileSync(join(out, 'stray.html'), '<p>stray</p>');
    const moved = await build({ content, out, cache, searchBuckets, baseUrl: 'https://example.org/nianbao/' });
    expect(existsSync(join(out, 'stray.html'))).toBe(false);
    expect(readFileSync(join(out, 'sitemap.xml'), 'utf8')).toContain('https://example.org/nianbao/');
    expect(moved.rewritten).toBe(2);
    await build({ content, out, cache, searchBuckets });

    // A correction in 平潭 2022's prose: its pages, its body's shard and the site-wide pages that show it change, nothing else.
    const before = siteFiles(out);
    const file = join(content, '平潭综合实验区/2022.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('2022年', '2022 年'));
    const changed = await build({ content, out, cache, searchBuckets });
    expect(changed.rewritten).toBeGreaterThan(0);
    expect(changed.rewritten).toBeLessThan(changed.files / 2);
    // Exactly the files whose bytes changed (or that are new) are new files; every other one is the file written before.
    const after = siteFiles(out);
    const differ = [...after].filter(([path, now]) => !before.get(path)?.bytes.equals(now.bytes)).map(([path]) => path);
    const renewed = [...after].filter(([path, now]) => before.get(path)?.ino !== now.ino).map(([path]) => path);
    expect(differ.some((path) => path.endsWith('/2022/index.html') && path.startsWith('bodies/平潭综合实验区-'))).toBe(true);
    expect(renewed).toEqual(differ);
    expect(changed.rewritten).toBe(differ.length);
    const madeNow = shardEntries(cache).filter((p) => !madeFirst.includes(p));
    expect(madeNow.length).toBeGreaterThan(0);
    expect(madeNow.length).toBeLessThan(shards.length / 2);
    expect(inode(out, untouched)).toBe(untouchedInode);

    const cold = join(tempDir('incremental-cold'), 'dist');
    await build({ content, out: cold, searchBuckets });
    expectSameSite(cold, out);
  });

  it('remakes a damaged shard when it is needed and rewrites a file changed in the output since the last build', { timeout: 240_000 }, async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('incremental-damage');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    await build({ content, out, cache, searchBuckets });
    const cold = join(tempDir('incremental-damage-cold'), 'dist');
    await build({ content, out: cold, searchBuckets });
    // A torn shard entry and a page edited by hand (same size, so that only its inode and time tell).
    const [shard] = shardEntries(cache);
    const entry = join(cache, shard!);
    const bytes = readFileSync(entry);
    writeFileSync(entry, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const edited = join(out, 'index.html');
    const html = readFileSync(edited, 'utf8');
    rmSync(edited);
    writeFileSync(edited, html.replace('<title>', '<titlE>'));
    // A site-wide file too (kept by its key, as a part's files are), one figure's digit changed in place.
    const download = join(out, 'downloads', 'key-figures.csv');
    const csv = readFileSync(download, 'utf8');
    const changedCsv = csv.replace(/,(\d)/, (_, digit: string) => `,${(Number(digit) + 1) % 10}`);
    expect(changedCsv).not.toBe(csv);
    rmSync(download);
    writeFileSync(download, changedCsv);
    // And a file of a search shard in the output, emptied: its shard is not kept from there, though its pages are unchanged.
    const shardFile = [...readSite(out).keys()].find((p) => p.startsWith('pagefind/shards/') && p.endsWith('.pf_meta'))!;
    writeFileSync(join(out, shardFile), '');
    const result = await build({ content, out, cache, searchBuckets });
    expect(readFileSync(join(out, shardFile)).length).toBeGreaterThan(0);
    expect(result.rewritten).toBeGreaterThan(0);
    expectSameSite(cold, out);
    // The shards whose files in the output are as written are kept from there; one built into another folder is taken from the cache, or remade.
    const elsewhere = join(work, 'dist-elsewhere');
    await build({ content, out: elsewhere, cache, searchBuckets });
    expect(readFileSync(entry).equals(bytes)).toBe(true);
    expectSameSite(cold, elsewhere);
  });

  it('makes the key figures\' download again from the rows of the file written, only while that file is as written', { timeout: 240_000 }, async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('incremental-rows');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    await build({ content, out, cache, searchBuckets, allowErrors: true });
    const corrected = join(content, '桐柏县应急管理局/2022.txt');
    const download = join(out, 'downloads', 'key-figures.csv');
    /** A cold build of the content as it is now: the site the rebuild must give. */
    const expectCold = async () => {
      const cold = join(tempDir('incremental-rows-cold'), 'dist');
      await build({ content, out: cold, searchBuckets, allowErrors: true });
      expectSameSite(cold, out);
    };
    // A figure corrected: the download made again, its other reports' rows copied from the file written (keyed-rows.ts).
    const before = readFileSync(download, 'utf8');
    await addToTotal(corrected, 'newReceived', 1);
    await build({ content, out, cache, searchBuckets, allowErrors: true });
    expect(readFileSync(download, 'utf8')).not.toBe(before);
    expect(cacheFiles(cache).some((p) => p.split(sep).includes('rows'))).toBe(true);
    await expectCold();
    // The download edited by hand in another report's row (same size), then a figure corrected again: no row is taken from
    // the edited file, and the download is the cold build's.
    const csv = readFileSync(download, 'utf8');
    const edited = csv.replace(/^(平潭[^\r\n]*,received,[^,]*,)(\d)/m, (_, opening: string, digit: string) => `${opening}${(Number(digit) + 1) % 10}`);
    expect(edited).not.toBe(csv);
    rmSync(download);
    writeFileSync(download, edited);
    await addToTotal(corrected, 'newReceived', 1);
    await build({ content, out, cache, searchBuckets, allowErrors: true });
    await expectCold();
  });

  it('indexes no search shard after a corrected figure or a sum broken: the index holds no figures, findings or counts of them', { timeout: 240_000 }, async () => {
    const content = (await writeCorpora(tempDir('search-figure-corpus'), 30)).text;
    const work = tempDir('search-figure');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    await build({ content, out, cache, searchBuckets, allowErrors: true });
    const indexed = shardEntries(cache);
    const report = join(content, '示例县第1局', '2022.txt');
    /** Rebuilds: pages were written, each shard was taken from the cache by what Pagefind reads (none indexed), and the site is the cold build's. */
    const expectNoneIndexed = async () => {
      const rebuilt = await build({ content, out, cache, searchBuckets, allowErrors: true });
      expect(rebuilt.rewritten).toBeGreaterThan(0);
      expect(shardEntries(cache)).toEqual(indexed);
      const cold = join(tempDir('search-figure-cold'), 'dist');
      await build({ content, out: cold, searchBuckets, allowErrors: true });
      expectSameSite(cold, out);
      return rebuilt;
    };
    // The bench's correction: one more request received and granted, every sum still holding.
    expect(await correctOneReport(report)).toBe(true);
    await expectNoneIndexed();
    // A sum broken: the report's findings change, and with them its rules' first pages and the home page.
    expect(await breakOneSum(report)).toBe(true);
    expect((await expectNoneIndexed()).errors).toBeGreaterThan(0);
  });

  it('gives the same site and index with one worker as with two', { timeout: 240_000 }, async () => {
    // Compiled code: workers only run from lib/.
    const compiled = (await import(pathToFileURL(resolve('lib/site/build.js')).href)) as typeof import('../src/site/build.js');
    const content = makeContent(corpusSet);
    const sites = [];
    for (const workers of [1, 2]) {
      const out = join(tempDir(`shards-${workers}`), 'dist');
      expect((await compiled.build({ content, out, workers, searchBuckets })).written).toBe(true);
      sites.push(out);
    }
    expect(readdirSync(join(sites[0]!, 'pagefind', 'shards')).length).toBeGreaterThan(1);
    expectSameSite(sites[0]!, sites[1]!);
  });
});

describe('worker threads', () => {
  it('give the same site with one worker as with two', { timeout: 120_000 }, () => {
    // Through the compiled command line: workers run compiled code.
    const content = makeContent(corpusSet);
    const sites = [1, 2].map((workers) => {
      const out = join(tempDir(`workers-${workers}`), 'dist');
      const run = spawnSync(process.execPath, [cli, 'build', '--content', content, '--out', out, '--no-cache', '--workers', String(workers)], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      return out;
    });
    expectSameSite(sites[0]!, sites[1]!);
  });
});

describe('pages kept from the previous site', () => {
  it('are made again when the rules they show changed, or when the file in the output was touched', { timeout: 240_000 }, async () => {
    const { rules } = await import('../src/rules/run.js');
    const content = makeContent(corpusSet);
    const work = tempDir('kept-pages');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    await build({ content, out, cache });
    // One rule fewer: no page may keep a link to its page or its findings' old numbers.
    const fewer = rules.filter((rule) => rule.id !== 'carry-over');
    expect(fewer.length).toBe(rules.length - 1);
    const withFewer = await build({ content, out, cache, rules: fewer });
    expect(withFewer.rewritten).toBeGreaterThan(0);
    const coldFewer = join(tempDir('kept-pages-cold-fewer'), 'dist');
    await build({ content, out: coldFewer, rules: fewer });
    expectSameSite(coldFewer, out);
    // Back to every rule, with a report page edited by hand (same size) while another report changed.
    await build({ content, out, cache });
    const page = [...readSite(out).keys()].find((p) => p.startsWith('bodies/桐柏县应急管理局-') && p.endsWith('/2022/index.html'))!;
    const html = readFileSync(join(out, page), 'utf8');
    rmSync(join(out, page));
    writeFileSync(join(out, page), html.replace('<title>', '<titlE>'));
    const file = join(content, '平潭综合实验区/2022.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('2022年', '2022 年'));
    await build({ content, out, cache });
    const cold = join(tempDir('kept-pages-cold'), 'dist');
    await build({ content, out: cold });
    expectSameSite(cold, out);
  });
});

describe('code loaded on demand', () => {
  it('is loaded when a page kept from the previous site is to be made again: a rule page touched in the output', { timeout: 240_000 }, () => {
    // Through the compiled command line: each build a process of its own, which has loaded neither the Markdown renderer nor the rules' examples.
    const content = makeContent(corpusSet);
    const work = tempDir('on-demand');
    const out = join(work, 'dist');
    const run = (args: string[]) => {
      const result = spawnSync(process.execPath, [cli, 'build', '--content', content, ...args], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      return result.stdout;
    };
    run(['--out', out, '--cache', join(work, 'cache')]);
    // A rule page (its description Markdown, its examples read by the parsers) edited by hand, same size; nothing else changed.
    const page = [...readSite(out).keys()].find((p) => p.startsWith('rules/') && p.endsWith('index.html') && readFileSync(join(out, p), 'utf8').includes('<code>'))!;
    expect(page).toBeDefined();
    const html = readFileSync(join(out, page), 'utf8');
    rmSync(join(out, page));
    writeFileSync(join(out, page), html.replace('<title>', '<titlE>'));
    expect(run(['--out', out, '--cache', join(work, 'cache')])).toContain('1 个有变化而重写');
    const cold = join(work, 'cold');
    run(['--out', cold, '--no-cache']);
    expectSameSite(cold, out);
    // Every search shard lost, from the output and the cache: indexed again from the pages, kept ones made for it.
    for (const entry of shardEntries(join(work, 'cache'))) rmSync(join(work, 'cache', entry));
    for (const path of readSite(out).keys()) if (path.startsWith('pagefind/') && path.endsWith('.pf_meta')) writeFileSync(join(out, path), '');
    run(['--out', out, '--cache', join(work, 'cache')]);
    expectSameSite(cold, out);
  });
});

describe('the site index', () => {
  /** Reads of whole readings the cache held, during `run`. */
  async function wholeReadsDuring(run: () => Promise<unknown>): Promise<number> {
    const checked = vi.spyOn(BuildCache.prototype, 'getChecked');
    const text = vi.spyOn(BuildCache.prototype, 'getText');
    try {
      await run();
      const hits = (spy: typeof checked | typeof text) => spy.mock.calls.filter(([kind], i) => kind === 'reports' && spy.mock.results[i]?.value !== null).length;
      return hits(checked) + hits(text);
    } finally {
      checked.mockRestore();
      text.mockRestore();
    }
  }

  it('makes the site again from what it kept of each report, reading none of them; after a change, the cold build\'s site', { timeout: 240_000 }, async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('site-index');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    await build({ content, out, cache });
    expect(cacheFiles(cache).some((p) => p.split(sep).includes('site-index'))).toBe(true);
    // A file's identity is trusted once it has settled (site-index.ts): until then it is known by its bytes.
    await new Promise((resolve) => setTimeout(resolve, 3200));
    await build({ content, out, cache });
    // Another address: every list and page is made again (only the sitemap and feed differ), none from a whole reading.
    let moved: BuildResult | null = null;
    expect(await wholeReadsDuring(async () => (moved = await build({ content, out, cache, baseUrl: 'https://example.org/nianbao/' })))).toBe(0);
    expect(moved!.rewritten).toBe(2);
    expect(moved!.reportCount).toBe(4);
    const coldMoved = join(tempDir('site-index-cold-moved'), 'dist');
    await build({ content, out: coldMoved, baseUrl: 'https://example.org/nianbao/' });
    expectSameSite(coldMoved, out);
    // A figure changed: that report is read afresh and only its own cache entry is new; the site is the cold build's.
    const before = entries(cache);
    const file = join(content, '桐柏县应急管理局/2022.txt');
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(/(行政许可\s*\|?\s*\n?\s*)(\d+)/, (_, label: string, n: string) => `${label}${Number(n) + 7}`);
    expect(changed).not.toBe(text);
    writeFileSync(file, changed);
    const result = await build({ content, out, cache });
    expect(result.written).toBe(true);
    expect(result.rewritten).toBeLessThan(result.files / 4);
    expect(entries(cache).filter((p) => !before.includes(p))).toHaveLength(1);
    const cold = join(tempDir('site-index-cold'), 'dist');
    await build({ content, out: cold });
    expectSameSite(cold, out);
  });

  it('reads the views\' texts only of the reports checked again, and never texts of another writing than the heads', { timeout: 240_000 }, async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('site-index-texts');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    const textEntries = () => cacheFiles(cache).filter((p) => p.split(sep).includes('site-index-text') && p.endsWith('.json'));
    /** The texts entries the build reads. */
    const textsReadDuring = async (run: () => Promise<unknown>) => {
      const getFiles = vi.spyOn(BuildCache.prototype, 'getFiles');
      try {
        await run();
        return getFiles.mock.calls.filter(([kind]) => kind === 'site-index-text').length;
      } finally {
        getFiles.mockRestore();
      }
    };
    const changeFigure = (file: string, by: number) => {
      const path = join(content, file);
      const text = readFileSync(path, 'utf8');
      const changed = text.replace(/(行政许可\s*\|?\s*\n?\s*)(\d+)/, (_, label: string, n: string) => `${label}${Number(n) + by}`);
      expect(changed).not.toBe(text);
      writeFileSync(path, changed);
    };
    const expectCold = async () => {
      const cold = join(tempDir('site-index-texts-cold'), 'dist');
      await build({ content, out: cold });
      expectSameSite(cold, out);
    };
    await build({ content, out, cache });
    expect(textEntries().length).toBeGreaterThan(0);
    // A file's identity is trusted once it has settled (site-index.ts): until then it is known by its bytes.
    await new Promise((resolve) => setTimeout(resolve, 3200));
    await build({ content, out, cache });
    // Nothing changed: no view is read, nor any text.
    expect(await textsReadDuring(() => build({ content, out, cache }))).toBe(0);
    // 平潭's 2022 report changed: its body is checked again, its 2021 report from its text (and the shards saved read theirs).
    const before = new Map(textEntries().map((p) => [p, readFileSync(join(cache, p))]));
    changeFigure('平潭综合实验区/2022.txt', 7);
    const read = await textsReadDuring(() => build({ content, out, cache }));
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThanOrEqual(2);
    await expectCold();
    // The texts of the shards that build wrote put back as they were before it (another writing than their heads, one holding
    // 2022's old figures): not taken. Checking 平潭 again after a change to 2021, the build reads every file afresh instead.
    const rewritten = [...before].filter(([p, bytes]) => !readFileSync(join(cache, p)).equals(bytes));
    expect(rewritten.length).toBeGreaterThan(0);
    for (const [p, bytes] of rewritten) writeFileSync(join(cache, p), bytes);
    changeFigure('平潭综合实验区/2021.txt', 3);
    expect((await build({ content, out, cache })).written).toBe(true);
    await expectCold();
    // Every text lost: the same.
    for (const p of textEntries()) rmSync(join(cache, p));
    changeFigure('平潭综合实验区/2022.txt', 5);
    expect((await build({ content, out, cache })).written).toBe(true);
    await expectCold();
  });

  it('is kept under nianbao\'s version: a changed template leaves no index of the old version', async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('site-index-version');
    const cache = join(work, 'cache');
    const templates = join(work, 'templates');
    cpSync(templatesDir, templates, { recursive: true });
    const out = join(work, 'dist');
    await build({ content, out, cache, templates });
    const indexOf = () => cacheFiles(cache).filter((p) => p.split(sep).includes('site-index') && p.endsWith('.json'));
    const old = indexOf();
    expect(old.length).toBeGreaterThan(0);
    // The year page's template: a list made from the index's views, not from whole readings.
    writeFileSync(join(templates, 'year.eta'), readFileSync(join(templates, 'year.eta'), 'utf8') + '\n<!-- changed -->\n');
    await build({ content, out, cache, templates });
    const now = indexOf();
    expect(now.length).toBe(old.length);
    expect(now.filter((p) => old.includes(p))).toEqual([]);
    const yearPages = [...readSite(out).keys()].filter((p) => /^years\/[^/]+\/index\.html$/.test(p));
    expect(yearPages.length).toBeGreaterThan(0);
    for (const p of yearPages) expect(readFileSync(join(out, p), 'utf8')).toContain('<!-- changed -->');
  });
});
