/**
 * The site writer's rebuild after a few changes: the changed and new files
 * swapped into the site in place, unchanged files left as they were (same
 * inode), removed and stray files gone; an in-place swap a killed build left
 * half done is rolled back by the next one (also a real build killed as
 * its swap starts); many changes still swap the whole folder in.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recover, siteIntact, SiteWriter, type OutputFile, type SiteManifest } from '../src/site/write.js';
import { makeContent, readSite, tempDir } from './site-helpers.js';

function writeSite(out: string, files: OutputFile[], previous: SiteManifest | null = null) {
  const writer = SiteWriter.open(out, { previous });
  for (const file of files) writer.add(file);
  return writer.finish();
}

function contents(out: string): Record<string, string> {
  return Object.fromEntries([...readSite(out)].map(([path, bytes]) => [path, bytes.toString('utf8')]));
}

function inodes(out: string): Record<string, number> {
  return Object.fromEntries([...readSite(out).keys()].map((path) => [path, statSync(join(out, path)).ino]));
}

const first: OutputFile[] = [
  { path: 'index.html', content: '首页' },
  { path: 'bodies/a/2022/index.html', content: '甲 2022' },
  { path: 'bodies/a/2023/index.html', content: '甲 2023' },
  { path: 'bodies/b/2022/index.html', content: '乙 2022' },
];
/** One file changed, one kept, one new, and 乙's only page gone (its folders with it). */
const second: OutputFile[] = [
  { path: 'index.html', content: '首页（新）' },
  { path: 'bodies/a/2022/index.html', content: '甲 2022' },
  { path: 'bodies/a/2023/index.html', content: '甲 2023' },
  { path: 'bodies/c/2024/index.html', content: '丙 2024' },
];

/** The pid of a process that has ended. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (pid === undefined) throw new Error('no child process');
  return pid;
}

describe('in-place rebuild', () => {
  it('swaps in only the changed files, keeps the others, and removes what is no longer made and stray files', () => {
    const work = tempDir('inplace');
    const out = join(work, 'dist');
    const written = writeSite(out, first);
    const before = inodes(out);
    // Strays in the root, in a folder nothing else changes in, and a folder of their own.
    writeFileSync(join(out, 'stray.html'), '<p>stray</p>');
    writeFileSync(join(out, 'bodies/a/2023/stray.html'), '<p>stray</p>');
    mkdirSync(join(out, 'junk/deep'), { recursive: true });
    writeFileSync(join(out, 'junk/deep/stray.html'), '<p>stray</p>');
    const result = writeSite(out, second, written.manifest);
    expect(contents(out)).toEqual(Object.fromEntries(second.map((f) => [f.path, f.content])));
    expect(result.written).toBe(2);
    expect(result.linked).toBe(2);
    const after = inodes(out);
    expect(after['bodies/a/2022/index.html']).toBe(before['bodies/a/2022/index.html']);
    expect(after['index.html']).not.toBe(before['index.html']);
    // No empty folder of the removed body, nothing left beside the site.
    expect(existsSync(join(out, 'bodies/b'))).toBe(false);
    expect(existsSync(join(out, 'junk'))).toBe(false);
    expect(readdirSync(work)).toEqual(['dist']);
    // The manifest describes the files as they are: the next rebuild keeps them all.
    const again = writeSite(out, second, result.manifest);
    expect(again.written).toBe(0);
    expect(inodes(out)).toEqual(after);
    // A rebuild with nothing to change finds the site as written, and not once a stray is put in a folder.
    expect(siteIntact(out, again.manifest)).toBe(true);
    writeFileSync(join(out, 'bodies/a/2023/stray.html'), '<p>stray</p>');
    expect(siteIntact(out, again.manifest)).toBe(false);
    rmSync(join(out, 'bodies/a/2023/stray.html'));
    expect(siteIntact(out, again.manifest)).toBe(true);
    // Strays put after an in-place swap, in a folder it left alone and in one it made, are found by the next.
    writeFileSync(join(out, 'bodies/a/2022/stray.html'), '<p>stray</p>');
    writeFileSync(join(out, 'bodies/c/2024/stray.html'), '<p>stray</p>');
    writeSite(out, second, again.manifest);
    expect(contents(out)).toEqual(Object.fromEntries(second.map((f) => [f.path, f.content])));
  });

  it('removes a folder no longer made whose own time the last build could not keep', () => {
    const work = tempDir('inplace-unsettled');
    const out = join(work, 'dist');
    const written = writeSite(out, first);
    // Every folder as if written long ago; then only 乙's page changes, so only its folder's time is too new to be kept.
    const longAgo = new Date(Date.now() - 60_000);
    for (const dir of ['', 'bodies', 'bodies/a', 'bodies/a/2022', 'bodies/a/2023', 'bodies/b', 'bodies/b/2022']) utimesSync(join(out, dir), longAgo, longAgo);
    const changed = writeSite(out, first.map((f) => (f.path.startsWith('bodies/b/') ? { ...f, content: '乙 2022（新）' } : f)), written.manifest);
    expect([...(changed.manifest.dirs ?? new Map()).keys()]).toContain('bodies/b/');
    expect([...(changed.manifest.dirs ?? new Map()).keys()]).not.toContain('bodies/b/2022/');
    writeSite(out, first.filter((f) => !f.path.startsWith('bodies/b/')), changed.manifest);
    expect(existsSync(join(out, 'bodies/b'))).toBe(false);
  });

  it('rolls back an in-place swap a killed build left half done', () => {
    const work = tempDir('inplace-undo');
    const out = join(work, 'dist');
    writeSite(out, first);
    const before = contents(out);
    const beforeInodes = inodes(out);
    // What a build killed mid-swap leaves: the journal, index.html replaced (its old version linked aside),
    // bodies/b's page moved aside, and a new page of bodies/c already in place.
    const undo = `${out}.undo-${deadPid()}`;
    const kept = join(undo, 'files');
    mkdirSync(join(kept, 'bodies/b/2022'), { recursive: true });
    writeFileSync(join(undo, 'journal.json'), JSON.stringify({ replaced: ['index.html'], added: ['bodies/c/2024/index.html'], removed: ['bodies/b/2022/index.html'] }));
    renameSync(join(out, 'bodies/b/2022/index.html'), join(kept, 'bodies/b/2022/index.html'));
    linkSync(join(out, 'index.html'), join(kept, 'index.html'));
    writeFileSync(join(work, 'new-index.html'), '首页（新）');
    renameSync(join(work, 'new-index.html'), join(out, 'index.html'));
    mkdirSync(join(out, 'bodies/c/2024'), { recursive: true });
    writeFileSync(join(out, 'bodies/c/2024/index.html'), '丙 2024');
    recover(out);
    expect(contents(out)).toEqual(before);
    expect(inodes(out)).toEqual(beforeInodes);
    expect(existsSync(join(out, 'bodies/c'))).toBe(false);
    expect(readdirSync(work)).toEqual(['dist']);
  });

  it('drops the undo folder of a swap that finished (its journal removed)', () => {
    const work = tempDir('inplace-done');
    const out = join(work, 'dist');
    writeSite(out, second);
    const after = contents(out);
    const undo = `${out}.undo-${deadPid()}`;
    mkdirSync(join(undo, 'files'), { recursive: true });
    writeFileSync(join(undo, 'files', 'index.html'), '首页');
    recover(out);
    expect(contents(out)).toEqual(after);
    expect(readdirSync(work)).toEqual(['dist']);
  });

  it("removes the cache a build given none kept beside the site once that build is gone, and not another's", () => {
    const work = tempDir('inplace-cache');
    const out = join(work, 'dist');
    writeSite(out, second);
    const killed = `${out}.cache-${deadPid()}`;
    mkdirSync(join(killed, 'reports'), { recursive: true });
    writeFileSync(join(killed, 'reports', 'a.pack'), '包');
    // This test's parent process, alive: a build still running.
    mkdirSync(`${out}.cache-${process.ppid}`);
    recover(out);
    expect(readdirSync(work).sort()).toEqual(['dist', `dist.cache-${process.ppid}`]);
  });

  it('records the files it keeps and those it writes, however many and however mixed, as a cold write of the same files would', () => {
    const work = tempDir('inplace-many');
    const out = join(work, 'dist');
    // More files than the writer's first block of packed entries (1,024), so that entries kept and written afresh interleave past it.
    const files: OutputFile[] = Array.from({ length: 3000 }, (_, i) => ({ path: `bodies/b${Math.floor(i / 5)}/p${i % 5}.html`, content: `<p>${i}</p>` }));
    const written = writeSite(out, files);
    const writer = SiteWriter.open(out, { previous: written.manifest });
    // The first two changed files far apart: the second's entry lies well past the writer's first block.
    const changed = new Set([10, 2100, 2500, 2999]);
    for (const [i, file] of files.entries()) {
      if (changed.has(i)) writer.add({ path: file.path, content: `<p>${i} changed</p>` });
      else expect(writer.keepAll([file.path])).toBe(true);
    }
    writer.add({ path: 'bodies/new/p0.html', content: '<p>new</p>' });
    const rewritten = writer.finish();
    expect(rewritten.written).toBe(5);
    // Every entry is the file's as it now is: its content's hash, and the site as the manifest says.
    const sha = (path: string) => createHash('sha256').update(readFileSync(join(out, path))).digest('hex');
    expect([...rewritten.manifest.files.keys()]).toEqual([...files.map((file) => file.path), 'bodies/new/p0.html']);
    for (const [path, [hash]] of rewritten.manifest.files) expect(hash, path).toBe(sha(path));
    expect(siteIntact(out, rewritten.manifest)).toBe(true);
    expect(readFileSync(join(out, 'bodies/b500/p0.html'), 'utf8')).toBe('<p>2500 changed</p>');
  });

  it('swaps the whole folder in when many files changed, keeping the unchanged ones', () => {
    const work = tempDir('inplace-many');
    const out = join(work, 'dist');
    const many = (version: string) => Array.from({ length: 600 }, (_, i) => ({ path: `p/${i}/index.html`, content: `${i} ${version}` }));
    const unchanged = { path: 'kept.html', content: '不变' };
    const written = writeSite(out, [unchanged, ...many('一')]);
    const keptInode = statSync(join(out, 'kept.html')).ino;
    const outInode = statSync(out).ino;
    const result = writeSite(out, [unchanged, ...many('二')], written.manifest);
    expect(result.written).toBe(600);
    expect(contents(out)).toEqual(Object.fromEntries([unchanged, ...many('二')].map((f) => [f.path, f.content])));
    expect(statSync(join(out, 'kept.html')).ino).toBe(keptInode);
    // A new folder was swapped in, not the old one updated.
    expect(statSync(out).ino).not.toBe(outInode);
    expect(readdirSync(dirname(out))).toEqual(['dist']);
  });
});

function fingerprint(out: string): string {
  const hash = createHash('sha256');
  for (const [path, bytes] of readSite(out)) hash.update(path).update('\0').update(bytes).update('\0');
  return hash.digest('hex');
}

/** nianbao build through the compiled command line: the builds killed run it, and a cache is only shared by builds of the same code. */
function cliBuild(args: string[]): void {
  const run = spawnSync(process.execPath, [cli, 'build', ...args], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
}

const cli = resolve('bin/nianbao.js');

describe('a rebuild after one change, killed', () => {
  it('leaves the previous site or the new one, once what it left is recovered', { timeout: 300_000 }, async () => {
    const content = makeContent({ '000': '桐柏县应急管理局/2022.txt', '004': '平潭综合实验区/2022.txt', '005': '平潭综合实验区/2021.txt' });
    const work = tempDir('inplace-kill');
    const out = join(work, 'dist');
    const cache = join(work, 'cache');
    const file = join(content, '平潭综合实验区/2022.txt');
    const original = readFileSync(file, 'utf8');
    const changedText = original.replace('2022年', '2022 年');
    expect(changedText).not.toBe(original);
    writeFileSync(file, changedText);
    const cold = join(tempDir('inplace-kill-new'), 'dist');
    cliBuild(['--content', content, '--out', cold, '--no-cache']);
    const newSite = fingerprint(cold);
    const outcomes: string[] = [];
    let swapsSeen = 0;
    // Killed as soon as the swap's undo folder or the temporary folder appears, and at a few fixed moments.
    for (const moment of ['undo', 'undo', 'undo', 'tmp', 300, 1200] as const) {
      writeFileSync(file, original);
      cliBuild(['--content', content, '--out', out, '--cache', cache]);
      const oldSite = fingerprint(out);
      writeFileSync(file, changedText);
      const child = spawn(process.execPath, [cli, 'build', '--content', content, '--out', out, '--cache', cache], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      if (typeof moment === 'number') await new Promise((r) => setTimeout(r, moment));
      else {
        const deadline = Date.now() + 60_000;
        while (!readdirSync(work).some((n) => n.startsWith(`dist.${moment}-`)) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setImmediate(r));
        if (moment === 'undo' && child.exitCode === null) swapsSeen++;
      }
      child.kill('SIGKILL');
      await exited;
      // What a killed build left beside the site is undone or cleared by the next build (here, its first step).
      recover(out);
      const now = fingerprint(out);
      expect([oldSite, newSite], `killed at ${moment}`).toContain(now);
      outcomes.push(`${moment}: ${now === oldSite ? 'old' : 'new'}`);
      expect(readdirSync(work).filter((n) => /^dist\.(tmp|undo|old)-/.test(n))).toEqual([]);
    }
    // The swap ran in place (its undo folder appeared) at least once while the build was still running.
    expect(swapsSeen).toBeGreaterThan(0);
    // The site left is the one the next build takes over from: rebuilt, it is the cold build's.
    cliBuild(['--content', content, '--out', out, '--cache', cache]);
    expect(fingerprint(out)).toBe(newSite);
    process.stdout.write(`in-place kill outcomes: ${outcomes.join(', ')}\n`);
  });
});
