/**
 * Incremental builds and worker threads: a build that reuses the cache gives
 * exactly the site a cold build gives, a changed template or rule (nianbao's
 * own code) is never served from an older cache, a damaged cache entry is
 * read again, and reading with one worker or two gives the same site.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/site/build.js';
import { BuildCache, versionKey } from '../src/site/cache.js';
import { templatesDir } from '../src/site/render.js';
import { makeContent, readSite, tempDir } from './site-helpers.js';

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

/** The cache entries of reports, as paths. */
function entries(cache: string): string[] {
  return readdirSync(cache, { recursive: true }).map(String).filter((p) => p.endsWith('.json') && p.includes('reports'));
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

  it('reads a report again when its cache entry is damaged', async () => {
    const content = makeContent(corpusSet);
    const work = tempDir('cache-torn');
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    await build({ content, out, cache });
    const [first] = entries(cache);
    const path = join(cache, first!);
    const text = readFileSync(path, 'utf8');
    // Torn: the entry cut short; then damaged: a figure changed without its checksum.
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    await build({ content, out, cache });
    const repaired = readFileSync(path, 'utf8');
    expect(repaired).toBe(text);
    writeFileSync(path, text.replace(/"value":(\d)/, (_, d: string) => `"value":${(Number(d) + 1) % 10}`));
    await build({ content, out, cache });
    expect(readFileSync(path, 'utf8')).toBe(text);
    const cold = join(tempDir('cold'), 'dist');
    await build({ content, out: cold });
    expectSameSite(cold, out);
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
    new BuildCache(root, before).put('reports', 'ab'.repeat(32), { figure: 1 });
    expect(new BuildCache(root, before).get('reports', 'ab'.repeat(32))).toEqual({ figure: 1 });
    expect(new BuildCache(root, after).get('reports', 'ab'.repeat(32))).toBeNull();
    expect(readdirSync(root).filter((n) => n.startsWith('v-'))).toEqual([`v-${after}`]);
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
