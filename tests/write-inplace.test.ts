/**
 * The site writer's rebuild after a few changes: the changed and new files
 * swapped into the site in place, unchanged files left as they were (same
 * inode), removed and stray files gone; an in-place swap a killed build left
 * half done is rolled back by the next one; many changes still swap the
 * whole folder in.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recover, SiteWriter, type OutputFile, type SiteManifest } from '../src/site/write.js';
import { readSite, tempDir } from './site-helpers.js';

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
    // Strays put after an in-place swap, in a folder it left alone and in one it made, are found by the next.
    writeFileSync(join(out, 'bodies/a/2022/stray.html'), '<p>stray</p>');
    writeFileSync(join(out, 'bodies/c/2024/stray.html'), '<p>stray</p>');
    writeSite(out, second, again.manifest);
    expect(contents(out)).toEqual(Object.fromEntries(second.map((f) => [f.path, f.content])));
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
