/**
 * The build under stress: killed at random (seeded) moments it leaves the
 * whole previous site or the whole new one, never a mix (one killed within
 * an in-place swap once the swap is undone, as the next build does first);
 * two builds started at once never corrupt the site, and the loser says why in Chinese; body
 * names and years from metadata that hold `/`, `..`, NUL, reserved or very
 * long names stay inside the site and keep distinct pages. `npm test` kills
 * a few builds (NIANBAO_KILLS, default 5); `npm run fuzz` kills 50.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleReport } from '../src/rules/example-builder.js';
import { seededRandom } from '../src/bench/generate.js';
import { build } from '../src/site/build.js';
import { recover } from '../src/site/write.js';
import { buildTo, htmlPages, makeContent, readSite, tempDir } from './site-helpers.js';

const cli = resolve('bin/nianbao.js');
const kills = Number(process.env.NIANBAO_KILLS ?? 5);
const seed = 20261126;

function fingerprint(out: string): string {
  const hash = createHash('sha256');
  for (const [path, bytes] of readSite(out)) hash.update(path).update('\0').update(bytes).update('\0');
  return hash.digest('hex');
}


function runCli(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [cli, 'build', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ code: number | null; stderr: string }>((resolveDone) => child.once('exit', (code) => resolveDone({ code, stderr })));
  return { child, done };
}

let small: string;
let larger: string;
let newSite: string;
const outcomes = { old: 0, new: 0, undone: 0 };

beforeAll(async () => {
  small = makeContent({ '000': '桐柏县应急管理局/2022.txt' });
  larger = makeContent({
    '000': '桐柏县应急管理局/2022.txt',
    '001': '平潭综合实验区/2025.txt',
    '004': '平潭综合实验区/2022.txt',
    '005': '平潭综合实验区/2021.txt',
    '009': '淮安市人民政府/2024.txt',
    '011': '沭阳县人民政府/2025.md',
  });
  newSite = fingerprint((await buildTo(larger)).out);
}, 120_000);

afterAll(() => {
  console.log(`reliability-build: ${kills} kills at seeded moments (seed ${seed}): ${outcomes.old} left the previous site, ${outcomes.new} the new one (${outcomes.undone} within an in-place swap, undone first)`);
});

describe('killed builds', () => {
  it(`leave the whole previous site or the whole new one (${kills} kills)`, { timeout: 60_000 + kills * 20_000 }, async () => {
    const work = tempDir('kills');
    const out = join(work, 'dist');
    const cache = join(work, 'cache');
    // How long a whole build takes here, so that the kills spread over all of it.
    const started = Date.now();
    expect((await runCli(['--content', larger, '--out', out, '--cache', cache]).done).code).toBe(0);
    const span = Date.now() - started;
    const next = seededRandom(seed);
    for (let i = 0; i < kills; i++) {
      await build({ content: small, out, cache: join(work, 'cache-small') });
      const oldSite = fingerprint(out);
      const moment = Math.floor(next() * span * 1.1);
      const { child, done } = runCli(['--content', larger, '--out', out, ...(i % 2 === 0 ? ['--cache', cache] : ['--no-cache'])]);
      await new Promise((r) => setTimeout(r, moment));
      child.kill('SIGKILL');
      await done;
      // Killed within an in-place swap (its undo folder beside the site: ~70 ms of renames on a slow disk), the site is a mix
      // until the swap is undone, as the next build does first: that must give one of the two.
      const midSwap = readdirSync(work).some((name) => name.startsWith('dist.undo-'));
      if (midSwap) {
        recover(out);
        outcomes.undone++;
      }
      const now = existsSync(out) ? fingerprint(out) : 'missing';
      expect([oldSite, newSite], `kill ${i} at ${moment} ms of ${span}${midSwap ? ', within the swap' : ''}`).toContain(now);
      if (now === oldSite) outcomes.old++;
      else outcomes.new++;
    }
    // The next build cleans up whatever the killed ones left beside the site.
    await build({ content: small, out });
    expect(readdirSync(work).filter((name) => name.startsWith('dist.'))).toEqual([]);
  });
});

describe('concurrent builds', () => {
  it('never corrupt the site; a build that finds the lock taken says so in Chinese and exits 1', { timeout: 120_000 }, async () => {
    const out = join(tempDir('concurrent'), 'dist');
    const smallSite = fingerprint((await buildTo(small)).out);
    let refused = 0;
    for (let round = 0; round < 3; round++) {
      const runs = [runCli(['--content', larger, '--out', out, '--no-cache']), runCli(['--content', small, '--out', out, '--no-cache'])];
      const results = await Promise.all(runs.map((r) => r.done));
      for (const result of results) {
        if (result.code === 0) continue;
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/另一个构建（进程 \d+）正在写入.*请等它结束后再试/);
        refused++;
      }
      expect([newSite, smallSite]).toContain(fingerprint(out));
      expect(existsSync(`${out}.lock`)).toBe(false);
    }
    console.log(`concurrent builds: ${refused} of 6 refused by the lock`);
  });
});

describe('names from metadata', () => {
  const names = ['a/b', 'a-b', 'a\0b', '..', '../..', '.', 'CON', 'NUL', 'aux.txt', '局/../../逃逸', '局'.repeat(300), '局'.repeat(300) + '乙', ' ', '\u202e局'];

  it('never write outside the site and give every body its own pages', { timeout: 120_000 }, async () => {
    const extra: Record<string, string> = {};
    // Agencies come from front matter, so they may hold what no folder name can.
    names.forEach((agency, i) => {
      extra[`reports/r${i}.md`] = exampleReport({ year: 2024 }).replace(/^agency: .*$/m, `agency: ${JSON.stringify(agency)}`);
    });
    extra['reports/year.md'] = exampleReport({ year: 2024 }).replace(/^year: .*$/m, 'year: "../../2024"');
    const content = makeContent({}, extra);
    const work = tempDir('names');
    const out = join(work, 'dist');
    const result = await build({ content, out, allowErrors: true });
    expect(result.written).toBe(true);
    // Nothing beside the site but the site (and what the build may keep: lock, cache).
    expect(readdirSync(work).filter((n) => !n.startsWith('.nianbao-cache'))).toEqual(['dist']);
    expect(readdirSync(dirname(work)).some((n) => n === '逃逸' || n === '2024')).toBe(false);
    const paths = [...readSite(out).keys()];
    for (const path of paths) {
      expect(path, path).not.toMatch(/[\0\\\u202e]/);
      expect(path.split('/').some((s) => s === '..' || s === '.' || s === ''), path).toBe(false);
      for (const segment of path.split('/')) expect(Buffer.byteLength(segment), path).toBeLessThan(200);
    }
    // One report page per report: bodies that differ only in such characters do not overwrite each other.
    const reportPages = htmlPages(out).filter((p) => /^bodies\/[^/]+\/[^/]+\/index\.html$/.test(p.path));
    expect(reportPages.length).toBe(names.length + 1);
    expect(new Set(reportPages.map((p) => p.path)).size).toBe(reportPages.length);
  });
});
