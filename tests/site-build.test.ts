/**
 * The build as a whole: byte-identical output for the same content, a build
 * blocked by a standing error or failing mid-way leaves the previous site
 * whole, a build killed at any moment leaves the previous site or the whole
 * new one, and the CLI's output and exit codes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/site/build.js';
import { templatesDir } from '../src/site/cache.js';
import { lock } from '../src/site/write.js';
import { buildTo, makeContent, readSite, tempDir } from './site-helpers.js';

const cli = resolve('bin/nianbao.js');

function fingerprint(out: string): string {
  const hash = createHash('sha256');
  for (const [path, bytes] of readSite(out)) hash.update(path).update('\0').update(bytes).update('\0');
  return hash.digest('hex');
}

let small: string;
let larger: string;

beforeAll(() => {
  small = makeContent({ '000': '桐柏县应急管理局/2022.txt' });
  larger = makeContent(
    {
      '000': '桐柏县应急管理局/2022.txt',
      '001': '平潭综合实验区/2025.txt',
      '004': '平潭综合实验区/2022.txt',
      '005': '平潭综合实验区/2021.txt',
      '009': '淮安市人民政府/2024.txt',
      '021': '淮安市洪泽区人民政府/2024.txt',
      '011': '沭阳县人民政府/2025.md',
    },
  );
});

describe('determinism', () => {
  it('gives byte-identical sites for the same content, wherever they are written', async () => {
    const first = await buildTo(larger);
    const second = await buildTo(larger);
    const a = readSite(first.out);
    const b = readSite(second.out);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);
    expect(a.size).toBeGreaterThan(40);
  });
});

describe('atomic output', () => {
  it('leaves the previous site untouched when an error stands', async () => {
    const { out } = await buildTo(small);
    const before = fingerprint(out);
    // 020 has two real review-total errors and no accepted exception here.
    const failing = makeContent({ '000': '桐柏县应急管理局/2022.txt', '020': '淮安市洪泽区人民政府/2023.txt' });
    const result = await build({ content: failing, out });
    expect(result.written).toBe(false);
    expect(result.errors).toBe(2);
    expect(fingerprint(out)).toBe(before);
    // --allow-errors builds anyway.
    const allowed = await build({ content: failing, out, allowErrors: true });
    expect(allowed.written).toBe(true);
    expect(fingerprint(out)).not.toBe(before);
  });

  it('leaves the previous site whole and no temporary folder when rendering fails', async () => {
    const { out } = await buildTo(small);
    const before = fingerprint(out);
    const broken = join(tempDir('templates'), 'templates');
    cpSync(templatesDir, broken, { recursive: true });
    writeFileSync(join(broken, 'year.eta'), '<% layout("./layout") %><%= it.no.such.value %>');
    await expect(build({ content: larger, out, templates: broken })).rejects.toThrow();
    expect(fingerprint(out)).toBe(before);
    expect(readdirSync(dirname(out)).sort()).toEqual(['dist']);
  });

  it('leaves the previous site or the whole new one when the build is killed at any moment', { timeout: 120_000 }, async () => {
    const work = tempDir('kill');
    const out = join(work, 'dist');
    const fresh = await buildTo(larger);
    const newSite = fingerprint(fresh.out);
    const outcomes: string[] = [];
    // Kills at fixed delays (start-up, loading, checking …) and, polled, as soon as the temporary folder appears.
    const moments: (number | 'writing')[] = [300, 900, 1500, 2100, 'writing', 'writing', 'writing'];
    for (const moment of moments) {
      await build({ content: small, out });
      const oldSite = fingerprint(out);
      const child = spawn(process.execPath, [cli, 'build', '--content', larger, '--out', out], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      if (moment === 'writing') {
        const deadline = Date.now() + 20_000;
        while (!readdirSync(work).some((n) => n.startsWith('dist.tmp-')) && child.exitCode === null && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 1));
        }
      } else {
        await new Promise((r) => setTimeout(r, moment));
      }
      child.kill('SIGKILL');
      await exited;
      const now = existsSync(out) ? fingerprint(out) : 'missing';
      expect([oldSite, newSite], `killed at ${moment}`).toContain(now);
      const writing = readdirSync(work).some((name) => name.startsWith('dist.tmp-'));
      outcomes.push(now === oldSite ? (writing ? 'old (killed while writing)' : 'old') : 'new');
    }
    expect(outcomes.some((o) => o === 'old (killed while writing)')).toBe(true);
    // At least one kill landed before the swap (so the test did kill builds mid-way).
    expect(outcomes.some((o) => o.startsWith('old'))).toBe(true);
    // The next build cleans up what killed builds left behind.
    await build({ content: small, out });
    expect(readdirSync(work).sort()).toEqual(['dist']);
    process.stdout.write(`kill outcomes: ${outcomes.join(', ')}\n`);
  });
});

describe('one build at a time', () => {
  it('refuses to write while another build holds the lock, with a clear message, and takes over a stale lock', async () => {
    const { out } = await buildTo(small);
    const before = fingerprint(out);
    const release = lock(out);
    try {
      const run = spawnSync(process.execPath, [cli, 'build', '--content', larger, '--out', out], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`另一个构建（进程 ${process.pid}）正在写入`);
      expect(fingerprint(out)).toBe(before);
    } finally {
      release();
    }
    // A lock left by a process that no longer runs does not block.
    writeFileSync(`${out}.lock`, '999999999');
    expect((await build({ content: larger, out })).written).toBe(true);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });
});

describe('nianbao build', () => {
  it('prints a progress line and a summary line, and exits 0', () => {
    const out = join(tempDir('cli'), 'dist');
    const run = spawnSync(process.execPath, [cli, 'build', '--content', small, '--out', out], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/1 份年报，\d+ 个页面.*用时/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<html lang="zh-CN">');
  });

  it('prints the check report and exits 1 without writing when an error stands', () => {
    const out = join(tempDir('cli'), 'dist');
    const failing = makeContent({ '020': '淮安市洪泽区人民政府/2023.txt' });
    const run = spawnSync(process.execPath, [cli, 'build', '--content', failing, '--out', out], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\d+:\d+ +error .*review-total/);
    expect(existsSync(out)).toBe(false);
  });
});
