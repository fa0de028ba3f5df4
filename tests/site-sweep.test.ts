/**
 * The sweep of a site folder against its manifest (write.ts sweepSite), as a
 * build makes it: a worker looks at the folders and runs of files, and the
 * main thread, once it waits, takes the runs still untaken (sweep.ts). However
 * the runs fall between the two, the sweep is the one made in one thread.
 */
import { lstatSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FILES_PER_RUN, prepareSweep as prepareSweepHere } from '../src/site/sweep.js';
import { sweepSite, type PackedFiles, type Sweep } from '../src/site/write.js';
import { tempDir } from './site-helpers.js';

/** A folder of `folders` × `files` pages, and its files packed as a manifest records them (the times of every other folder recorded). */
function siteFolder(folders: number, files: number): { out: string; packed: PackedFiles } {
  const out = tempDir('sweep');
  const paths: string[] = [];
  for (let f = 0; f < folders; f++) {
    mkdirSync(join(out, `bodies/b${f}`), { recursive: true });
    for (let p = 0; p < files; p++) {
      const path = `bodies/b${f}/p${p}.html`;
      writeFileSync(join(out, path), `<p>${f}-${p}</p>`);
      paths.push(path);
    }
  }
  const stamps = new Float64Array(paths.length * 3);
  paths.forEach((path, i) => {
    const stat = lstatSync(join(out, path));
    stamps.set([stat.size, stat.mtimeMs, stat.ino], i * 3);
  });
  const dirs = new Map<string, number>();
  for (let f = 0; f < folders; f += 2) dirs.set(`bodies/b${f}/`, statSync(join(out, `bodies/b${f}`)).mtimeMs);
  return { out, packed: { paths, stamps, dirs } };
}

function plain(sweep: Sweep) {
  return { ...sweep, touched: [...sweep.touched].sort(), times: [...sweep.times].sort(), folders: [...sweep.folders].sort(), listings: [...sweep.listings].sort() };
}

describe('the sweep', () => {
  it('finds in the worker\'s runs and the main thread\'s alike what a sweep in one thread finds', { timeout: 60_000 }, async () => {
    // Compiled code: the worker only runs from lib/.
    const { prepareSweep } = (await import(pathToFileURL(resolve('lib/site/sweep.js')).href)) as typeof import('../src/site/sweep.js');
    const { out, packed } = siteFolder(40, 50);
    expect(packed.paths.length).toBeGreaterThan(FILES_PER_RUN * 5);
    expect(sweepSite(out, packed).intact).toBe(true);
    // Files changed all through the list (in place, same size: only the time tells), one removed, one added to a folder whose
    // time was recorded (its listing tells), a folder gone.
    for (let i = 7; i < packed.paths.length; i += 97) writeFileSync(join(out, packed.paths[i] as string), `<p>${String(i).padStart(4, '0').slice(-4)}</p>`.slice(0, 12));
    rmSync(join(out, packed.paths[3] as string));
    writeFileSync(join(out, 'bodies/b2/extra.html'), 'x');
    rmSync(join(out, 'bodies/b39'), { recursive: true });
    const inOneThread = plain(sweepSite(out, packed));
    expect(inOneThread.intact).toBe(false);
    expect(inOneThread.touched.length).toBeGreaterThan(70);
    expect(inOneThread.listings.map(([dir]) => dir)).toContain('bodies/b2/');
    // Waited for at once, while the worker starts: the main thread takes (nearly) every run.
    const atOnce = prepareSweep(out).start(packed);
    expect(plain(await atOnce())).toEqual(inOneThread);
    // Waited for once the worker is done: it took every run.
    const later = prepareSweep(out).start(packed);
    await new Promise((r) => setTimeout(r, 1500));
    expect(plain(await later())).toEqual(inOneThread);
    // Asked again, the same sweep; so from TypeScript sources, where it is made in this thread.
    expect(await later()).toBe(await later());
    const here = prepareSweepHere(out).start(packed);
    expect(plain(await here())).toEqual(inOneThread);
    expect(await here()).toBe(await here());
    // An intact folder, swept both ways.
    const intact = siteFolder(3, FILES_PER_RUN);
    expect((await prepareSweep(intact.out).start(intact.packed)()).intact).toBe(true);
  });
});
