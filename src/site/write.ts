/**
 * Writes a site atomically: everything new goes into a temporary folder
 * beside the output folder, and is swapped in only when complete. A build
 * that fails or is killed before the swap leaves the previous site as it was.
 *
 * A rebuild rewrites only what changed: given the manifest of the site it
 * replaces (each file's content hash, size, modification time and inode as
 * written), a file whose new content has the same hash is kept, provided the
 * file there is still the one the manifest describes. When few files changed
 * they are swapped in place, file by file, under an undo journal (the old
 * files kept aside until the swap is complete): a build killed mid-way is
 * rolled back by the next one. When many changed, the unchanged files are
 * hard-linked into the temporary folder and the whole folder swapped in by
 * two renames back to back; a site moved aside by a build killed between them
 * is put back by the next build.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { sha256Bytes } from './hash.js';
import { FileRecorder, ManifestFiles, type KnownFiles, type ManifestEntry } from './manifest-files.js';

export interface OutputFile {
  /** Path inside the site, with `/` separators. */
  path: string;
  content: string | Uint8Array;
}

/**
 * A file the build expects unchanged since the previous site (what it is
 * made from is): kept from there without being made, unless the file there
 * is no longer the one written, when `make` gives its content.
 */
export interface KeptFile {
  path: string;
  make: () => string | Uint8Array;
}

export class SiteWriteError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The cache a build given none keeps beside its output folder while it
 * runs (removed when it ends; one a killed build left, recover removes).
 */
export function cacheBeside(out: string): string {
  return `${out}.cache-${process.pid}`;
}

/** Temporary, set-aside, undo and cache folders (and lock drafts) of this output folder, with the pid of the build that made them. */
function leftovers(out: string): { path: string; kind: 'tmp' | 'old' | 'undo' | 'cache' | 'lock'; pid: number }[] {
  const parent = dirname(out);
  const name = basename(out);
  if (!existsSync(parent)) return [];
  return readdirSync(parent).flatMap((entry) => {
    const match = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp-|old-|undo-|cache-|lock\\.)(\\d+)$`).exec(entry);
    const kind = match?.[1]?.replace(/[-.]$/, '') as 'tmp' | 'old' | 'undo' | 'cache' | 'lock' | undefined;
    return match && kind ? [{ path: join(parent, entry), kind, pid: Number(match[2]) }] : [];
  });
}

/**
 * Puts back a site a killed build had set aside, undoes an in-place swap a
 * killed build left half done, and removes the temporary and cache folders
 * and lock drafts of builds that are no longer running.
 */
export function recover(out: string): void {
  const left = leftovers(out).filter((l) => !alive(l.pid) || l.pid === process.pid);
  // Undone before the temporary folders go: the journal's added files are only removed from the site.
  for (const undo of left.filter((l) => l.kind === 'undo')) rollBack(out, undo.path);
  for (const { kind, path } of left) {
    if (kind === 'undo') continue;
    if (kind === 'old' && !existsSync(out)) renameSync(path, out);
    else rmSync(path, { recursive: true, force: true });
  }
}

/**
 * One build at a time per output folder: a lock file holding the builder's
 * pid, created whole (written aside, then hard-linked into place) so that it
 * is never seen empty. A lock whose builder is gone is taken over.
 */
export function lock(out: string): () => void {
  const path = `${out}.lock`;
  const mine = `${path}.${process.pid}`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, path);
        return () => rmSync(path, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
          throw new SiteWriteError(`另一个构建（进程 ${holder}）正在写入 ${out}，请等它结束后再试（锁文件 ${path}）`);
        }
        rmSync(path, { force: true });
      }
    }
    throw new SiteWriteError(`无法取得构建锁 ${path}`);
  } finally {
    rmSync(mine, { force: true });
  }
}

/** Takes the output folder's lock and clears what killed builds left beside it; returns the lock's release. */
export function claim(out: string): () => void {
  const release = lock(out);
  try {
    recover(out);
    return release;
  } catch (error) {
    release();
    throw error;
  }
}

/** Names joined by `/`, none of them empty, `.` or `..`: such a path stays inside any folder it is joined to. */
const PLAIN_PATH = /^[^/\\\0]+(?:\/[^/\\\0]+)*$/;
const DOT_NAME = /(?:^|\/)\.\.?(?:\/|$)/;

/** The absolute path of a site file, refusing any path that would leave the folder. */
function inside(root: string, path: string): string {
  // Nearly every path is plain: joined as it is, without resolving it (twice per file, tens of thousands of files).
  if (sep === '/' && PLAIN_PATH.test(path) && !DOT_NAME.test(path)) return root.endsWith('/') ? root + path : `${root}/${path}`;
  if (path.includes('\0') || isAbsolute(path)) throw new SiteWriteError(`不安全的输出路径：${JSON.stringify(path)}`);
  const target = resolve(root, path);
  const rel = relative(root, target);
  if (rel === '' || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new SiteWriteError(`不安全的输出路径：${JSON.stringify(path)}`);
  }
  return target;
}

/** A site's files as written: content hash, size, modification time and inode of each. */
export interface SiteManifest {
  /** Those of the previous site (the writer's `previous`) kept or written again in its order, then the others in the order written (FileRecorder). */
  files: ManifestFiles;
  /** The hash of the readings and options the site was made from, the counts of its findings, and its page count (set by the build). */
  readings?: string;
  summary?: { errors: number; warnings: number; infos: number; accepted: number };
  pages?: number;
  /** The files each keyed part of the site made (see view/site.ts), by the part's key (set by the build). */
  parts?: Map<string, string[]>;
  /**
   * The places among `files` of a part's files, in the order of `parts`;
   * null when one is no file here. Given by a decoded manifest, which stores
   * the places: looking the paths up needs an index of every path.
   */
  placesOfPart?: (key: string) => number[] | null;
  /**
   * Each folder's modification time as the writer left it, by its path with
   * a trailing `/` ('' for the root), for folders that had settled (see
   * settleMs): a folder still as left holds exactly the entries the
   * manifest gives it, and need not be listed to find files put there since.
   */
  dirs?: Map<string, number>;
}

/**
 * True when `out` holds exactly the files of the manifest, each still the
 * file written (size, time, inode): then the site need not be written again.
 * Looked at under the lock, after what killed builds left has been cleared.
 */
export function siteIntact(outDir: string, manifest: SiteManifest): boolean {
  const release = claim(resolve(outDir));
  try {
    return sweepSite(resolve(outDir), packManifest(manifest)).intact;
  } finally {
    release();
  }
}

/** True when the folders a sweep found hold nothing but the manifest's files (`paths`) and their folders (`folders`). */
function holdsOnlyManifest(paths: readonly string[], folders: ReadonlySet<string>, sweep: Pick<Sweep, 'times' | 'listings'>): boolean {
  // A folder still as written holds only what the manifest gives it (`folders`: those of its files); any other was listed.
  const files = new Set(paths);
  for (const dir of folders) {
    if (sweep.times.get(dir) === undefined) return false;
    for (const [name, isDirectory] of sweep.listings.get(dir) ?? []) {
      const inSite = `${dir}${name}`;
      if (!(isDirectory ? folders.has(`${inSite}/`) : files.has(inSite))) return false;
    }
  }
  return true;
}

/** A manifest's files as a sweep takes them: their paths, and for each its size, modification time and inode. */
export interface PackedFiles {
  paths: readonly string[];
  /**
   * The paths joined by NULs in UTF-8, as the cache stores them, when at
   * hand: sent to a sweep worker as they are, so a copy of their own (a view
   * is sent, and held, with all of the buffer it views: the whole cache entry).
   */
  joinedPaths?: Uint8Array;
  stamps: Float64Array;
  /** The folder times the manifest recorded (SiteManifest.dirs). */
  dirs: Map<string, number>;
}

export function packManifest({ files, dirs }: SiteManifest): PackedFiles {
  return { paths: files.paths, stamps: files.stamps, dirs: dirs ?? new Map() };
}

/**
 * What a site folder holds against a manifest of it, looked at once, under
 * the folder's lock (taken before, held until the site is written): the
 * files no longer as written, the times of the manifest's folders (and of
 * those it recorded times for), and the entries of each of those folders
 * whose time is not the one recorded (the others hold what the manifest
 * gives them). Sweeping tens of thousands of files takes a few hundred
 * milliseconds: a build does it in a worker while it reads and checks.
 */
export interface Sweep {
  touched: Set<string>;
  /** Times of the folders swept that exist, by their path with a trailing `/` ('' for the root). */
  times: Map<string, number>;
  /** The folders swept: their times (or absence) and listings are known. */
  folders: Set<string>;
  listings: Map<string, [name: string, isDirectory: boolean][]>;
  /** Whether the folder holds exactly the manifest's files, each still the file written: then the site need not be written again. */
  intact: boolean;
}

export function sweepSite(out: string, files: PackedFiles): Sweep {
  const touched = new Set<string>();
  sweepFiles(out, files, 0, files.paths.length, touched);
  const { holdsOnlyManifest, ...folders } = sweepFolders(out, files);
  return { touched, ...folders, intact: touched.size === 0 && holdsOnlyManifest };
}

/** Adds to `touched` the files at places `from` to `to` of the manifest's no longer as written (or gone). */
export function sweepFiles(out: string, { paths, stamps }: PackedFiles, from: number, to: number, touched: Set<string>): void {
  for (let i = from; i < to; i++) {
    const path = paths[i] as string;
    let stat: Stats | undefined;
    try {
      stat = lstatSync(inside(out, path), { throwIfNoEntry: false });
    } catch {
      // Unreadable, or a path that would leave the folder.
    }
    if (!stat?.isFile() || stat.size !== stamps[i * 3] || stat.mtimeMs !== stamps[i * 3 + 1] || stat.ino !== stamps[i * 3 + 2]) touched.add(path);
  }
}

/** The folders' part of a sweep (Sweep but `touched` and `intact`), and whether they hold nothing but the manifest's files and folders. */
export function sweepFolders(out: string, { paths, dirs }: PackedFiles): Omit<Sweep, 'touched' | 'intact'> & { holdsOnlyManifest: boolean } {
  const ofFiles = foldersOf(paths);
  const folders = new Set(ofFiles);
  for (const dir of dirs.keys()) folders.add(dir);
  const times = new Map<string, number>();
  const listings = new Map<string, [string, boolean][]>();
  for (const dir of folders) {
    let stat: Stats | undefined;
    try {
      stat = statSync(folderPath(out, dir), { throwIfNoEntry: false });
    } catch {
      // As if missing.
    }
    if (!stat?.isDirectory()) continue;
    times.set(dir, stat.mtimeMs);
    if (dirs.get(dir) === stat.mtimeMs) continue;
    try {
      listings.set(dir, readdirSync(folderPath(out, dir), { withFileTypes: true }).map((entry) => [entry.name, entry.isDirectory()]));
    } catch {
      // Gone meanwhile: as if missing.
      times.delete(dir);
    }
  }
  return { times, folders, listings, holdsOnlyManifest: holdsOnlyManifest(paths, ofFiles, { times, listings }) };
}

export interface WriteResult {
  manifest: SiteManifest;
  /** Files written afresh. */
  written: number;
  /** Files unchanged since the previous site, kept from it (left in place, or linked into the new folder). */
  linked: number;
}

export interface WriteOptions {
  /** The manifest of the site in `out` as the last build wrote it: unchanged files are kept from it. */
  previous?: SiteManifest | null;
  /**
   * The output folder's lock, taken (with claim) by the caller, who swept
   * the site under it: the writer releases it when it finishes or aborts.
   */
  claimed?: () => void;
  /** What the site in the output folder held under the lock, against `previous` (sweepSite): trusted instead of looking again. */
  sweep?: Sweep | null;
  /**
   * A folder on the same file system where the replaced site is moved after
   * the swap, to be deleted in the background (deleting tens of thousands of
   * files takes seconds); without it, or when it cannot be moved there, the
   * replaced site is deleted before the writer finishes.
   */
  trash?: string;
}

/** Moves a replaced site into the trash and starts deleting the trash's contents in a process of its own. */
function discard(old: string, trash: string | undefined): void {
  if (trash) {
    try {
      mkdirSync(trash, { recursive: true });
      renameSync(old, join(trash, `${basename(old)}-${Date.now()}`));
      const child = spawn(process.execPath, ['-e', 'for (const n of require("fs").readdirSync(process.argv[1])) require("fs").rmSync(require("path").join(process.argv[1], n), { recursive: true, force: true })', trash], {
        detached: true,
        stdio: 'ignore',
      });
      child.on('error', () => {});
      child.unref();
      return;
    } catch {
      // Another file system, or no trash: delete it here.
    }
  }
  rmSync(old, { recursive: true, force: true });
}

/**
 * Whether `path` of the current site is still the file the manifest
 * describes with this hash, and if so that description: linked into the new
 * folder at `target`, or (`target` null, the site updated in place) left
 * where it is; either way the same file (size, modification time, inode), so
 * it is the new site's entry too. Null when not kept.
 */
function keepUnchanged(out: string, path: string, hash: string, previous: KnownFiles | null | undefined, target: string | null, sweep: Sweep | null): ManifestEntry | null {
  const known = previous?.get(path);
  if (!known || known[0] !== hash || !stillWritten(out, path, known, sweep)) return null;
  try {
    if (target !== null) linkSync(inside(out, path), target);
    return known;
  } catch {
    // A file system without hard links: written afresh.
    return null;
  }
}

/**
 * Whether the file at `path` of the site in `out` is still the one written
 * (size, modification time, inode as `known`): as the sweep found it when
 * there is one, else looked at now.
 */
function stillWritten(out: string, path: string, [, size, mtimeMs, ino]: Readonly<ManifestEntry>, sweep: Sweep | null): boolean {
  if (sweep) return !sweep.touched.has(path);
  try {
    const stat = statSync(inside(out, path));
    return stat.isFile() && stat.size === size && stat.mtimeMs === mtimeMs && stat.ino === ino;
  } catch {
    // Gone.
    return false;
  }
}

/**
 * Makes the folders files go in, one plain mkdir per folder, parents first
 * (a recursive mkdir looks at every level each time), remembering those
 * made; a folder another thread made meanwhile is taken as made.
 */
export class FolderMaker {
  private readonly made = new Set<string>();

  constructor(private readonly root: string) {}

  make(dir: string): void {
    if (dir === this.root || this.made.has(dir)) return;
    this.make(dirname(dir));
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    this.made.add(dir);
  }
}

/**
 * What text is encoded into before it is hashed and written: one buffer per
 * thread. A fresh one per file was most of what a render worker allocated (a
 * page is tens of KB, and a build writes tens of thousands); the rare larger
 * text (the site-wide CSV) gets a buffer of its own instead of growing this.
 */
const scratch = Buffer.allocUnsafeSlow(1 << 20);

/** The UTF-8 bytes of `text`: in the scratch buffer, valid until the next call, when they fit. */
function utf8Of(text: string): Buffer {
  // At most three bytes per UTF-16 code unit.
  return text.length * 3 <= scratch.length ? scratch.subarray(0, scratch.write(text)) : Buffer.from(text);
}

/**
 * Puts one file into the temporary folder `tmp` of the site replacing
 * `out`: kept when the previous site's file has the same hash and is still
 * as written (a kept file is then not even made): left in `out` when the
 * site is updated in place (`inPlace`), else linked from there; otherwise
 * written into `tmp`.
 */
export function writeInto(
  folders: { out: string; tmp: string; inPlace?: boolean },
  file: OutputFile | KeptFile,
  previous: KnownFiles | null | undefined,
  dirs: FolderMaker,
  sweep: Sweep | null = null,
): { entry: ManifestEntry; linked: boolean } {
  const target = inside(folders.tmp, file.path);
  const linkTarget = folders.inPlace ? null : target;
  if (linkTarget !== null) dirs.make(dirname(target));
  const kept = 'make' in file ? (previous?.get(file.path)?.[0] ?? '') : '';
  let entry = kept === '' ? null : keepUnchanged(folders.out, file.path, kept, previous, linkTarget, sweep);
  if (!entry) {
    const made = 'make' in file ? file.make() : file.content;
    // Encoded once, for the hash and the file alike.
    const content = typeof made === 'string' ? utf8Of(made) : made;
    const hash = sha256Bytes(content);
    entry = keepUnchanged(folders.out, file.path, hash, previous, linkTarget, sweep);
    if (!entry) {
      if (linkTarget === null) dirs.make(dirname(target));
      return { entry: entryOf(hash, writeNew(target, content)), linked: false };
    }
  }
  return { entry, linked: true };
}

function entryOf(hash: string, stat: Stats): ManifestEntry {
  return [hash, stat.size, stat.mtimeMs, stat.ino];
}

/** Writes a new file and says what it is as written, from the open file rather than by looking its path up again. */
function writeNew(target: string, content: Uint8Array): Stats {
  const fd = openSync(target, 'w');
  try {
    for (let done = 0; done < content.byteLength; ) done += writeSync(fd, content, done);
    return fstatSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Changed and removed files, at most, swapped into the site in place: each
 * rename is atomic, but a reader may see the site between two of them, so
 * the window stays bounded (a few milliseconds); more are swapped in whole.
 */
const inPlaceLimit = 512;

/** What an in-place swap is about to do, written before its first rename: the next build undoes it if the swap did not finish. */
interface UndoJournal {
  /** Files replaced; their old versions are linked into the undo folder first. */
  replaced: string[];
  /** Files new to the site. */
  added: string[];
  /** Files (or anything else) removed from the site: moved into the undo folder. */
  removed: string[];
}

const journalName = 'journal.json';

/** Removes the folders above a removed `path` that it left empty, up to the site's root. */
function pruneEmpty(root: string, path: string): void {
  for (let dir = dirname(inside(root, path)); dir.length > root.length && dir.startsWith(root); dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}

/** Puts the site back as it was before an in-place swap that did not finish (its journal is still there), then drops the undo folder. */
function rollBack(out: string, undo: string): void {
  let journal: UndoJournal | null = null;
  try {
    journal = JSON.parse(readFileSync(join(undo, journalName), 'utf8')) as UndoJournal;
  } catch {
    // No journal: the swap finished (or never started).
  }
  if (journal) {
    const kept = join(undo, 'files');
    for (const path of journal.added) {
      rmSync(inside(out, path), { recursive: true, force: true });
      pruneEmpty(out, path);
    }
    for (const path of [...journal.removed, ...journal.replaced]) {
      const old = inside(kept, path);
      if (!existsSync(old)) continue;
      mkdirSync(dirname(inside(out, path)), { recursive: true });
      renameSync(old, inside(out, path));
    }
  }
  rmSync(undo, { recursive: true, force: true });
}

/** The folders of a site's files (by their paths) and their parents, as paths with a trailing `/` ('' for the root). */
function foldersOf(paths: Iterable<string>): Set<string> {
  const dirs = new Set(['']);
  for (const path of paths) {
    // From the deepest up, stopping at a folder already met: its parents were added with it.
    for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) {
      const dir = path.slice(0, end + 1);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  return dirs;
}

function folderPath(out: string, dir: string): string {
  return dir === '' ? out : inside(out, dir.slice(0, -1));
}

/** The modification time of each folder that exists, as the sweep found it when it looked at the folder. */
function folderTimes(out: string, dirs: Iterable<string>, sweep: Sweep | null = null): Map<string, number> {
  const times = new Map<string, number>();
  for (const dir of dirs) {
    if (sweep?.folders.has(dir)) {
      const time = sweep.times.get(dir);
      if (time !== undefined) times.set(dir, time);
      continue;
    }
    const stat = statSync(folderPath(out, dir), { throwIfNoEntry: false });
    if (stat?.isDirectory()) times.set(dir, stat.mtimeMs);
  }
  return times;
}

/**
 * A folder's time changes only at the file system clock's tick (a few
 * milliseconds): one changed within the last few ticks might change again
 * unseen, so it is not kept, and the next build lists it.
 */
const settleMs = 50;

/** The times of `folders` changed long enough ago to be kept in the manifest. */
function settled(times: ReadonlyMap<string, number>, folders: ReadonlySet<string>): Map<string, number> {
  const before = Date.now() - settleMs;
  const kept = new Map<string, number>();
  for (const dir of folders) {
    const time = times.get(dir);
    if (time !== undefined && time < before) kept.set(dir, time);
  }
  return kept;
}

/**
 * Everything in `out` that is not a file of `files` (strays, files of the
 * previous site no longer made: `gone`), as site paths, with the
 * modification time of each folder found among `folders` (the new site's)
 * and the previous site's. Only folders changed since the previous site was
 * written (or unknown to it) are listed; the others hold what its manifest
 * says.
 */
function extraEntries(
  out: string,
  { files, gone }: { files: ManifestFiles; gone: readonly string[] },
  folders: ReadonlySet<string>,
  previous: SiteManifest,
  sweep: Sweep | null,
): { extra: string[]; times: Map<string, number> } {
  const known = previous.dirs ?? new Map<string, number>();
  const dirs = new Set(folders);
  for (const dir of known.keys()) dirs.add(dir);
  const times = folderTimes(out, dirs, sweep);
  const extra: string[] = [];
  for (const [dir, time] of times) {
    if (known.get(dir) === time) continue;
    const listing = sweep?.listings.get(dir) ?? readdirSync(folderPath(out, dir), { withFileTypes: true }).map((entry) => [entry.name, entry.isDirectory()] as const);
    for (const [name, isDirectory] of listing) {
      const path = `${dir}${name}`;
      // A folder of either site is looked at on its own.
      if (isDirectory ? !files.has(path) && dirs.has(`${path}/`) : files.has(path)) continue;
      extra.push(path);
    }
  }
  for (const path of gone) {
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    const time = known.get(dir);
    if (time !== undefined && time === times.get(dir)) extra.push(path);
  }
  // A folder of the previous site that the new one has not goes whole (the topmost of each): its own time may be unknown, changed
  // too late to be kept, and its parent, unchanged, is not listed, so nothing above would find what it holds.
  for (const dir of foldersOf(gone)) {
    if (folders.has(dir)) continue;
    const path = dir.slice(0, -1);
    if (folders.has(dir.slice(0, path.lastIndexOf('/') + 1)) && !files.has(path)) extra.push(path);
  }
  return { extra, times };
}

/**
 * Writes a site file by file (so that no file need be held once added):
 * changed files into a fresh temporary folder, unchanged ones kept from the
 * previous site, and swaps the result in for `out` at `finish`; `abort`
 * drops it. The output folder stays locked from `open` to `finish` or
 * `abort`.
 */
export class SiteWriter {
  private readonly out: string;
  private readonly tmp: string;
  private readonly release: () => void;
  private readonly dirs: FolderMaker;
  /** Unchanged files are left in `out` rather than linked into `tmp` (see finish). */
  private readonly inPlace: boolean;
  /** Files kept from the previous site, and those written into `tmp`. */
  private readonly kept: string[] = [];
  private readonly staged: string[] = [];
  /** Their entries, packed until the manifest is made at the end (as entries they were ~12 MB of the main heap at 10,000 reports, the build's peak). */
  private readonly recorded: FileRecorder;
  /** The manifest's files are set at finish (from `recorded`). */
  private readonly result: WriteResult = { manifest: { files: ManifestFiles.of([]) }, written: 0, linked: 0 };

  private constructor(
    outDir: string,
    private readonly options: WriteOptions,
  ) {
    this.out = resolve(outDir);
    this.tmp = `${this.out}.tmp-${process.pid}`;
    this.release = options.claimed ?? claim(this.out);
    this.dirs = new FolderMaker(this.tmp);
    this.recorded = new FileRecorder(options.previous?.files ?? null);
    try {
      this.inPlace = !!options.previous && existsSync(this.out);
      rmSync(this.tmp, { recursive: true, force: true });
      mkdirSync(this.tmp, { recursive: true });
    } catch (error) {
      this.release();
      throw error;
    }
  }

  static open(outDir: string, options: WriteOptions = {}): SiteWriter {
    return new SiteWriter(outDir, options);
  }

  /** Where changed files go before the swap, the site they replace, and whether unchanged files stay there (for a worker writing files of its own with writeInto). */
  get folders(): { out: string; tmp: string; inPlace: boolean } {
    return { out: this.out, tmp: this.tmp, inPlace: this.inPlace };
  }

  add(file: OutputFile | KeptFile): void {
    const { entry, linked } = writeInto(this.folders, file, this.options.previous?.files, this.dirs, this.options.sweep ?? null);
    this.record(file.path, entry, linked);
  }

  /**
   * Keeps the previous site's files at `paths` as they are, without making
   * or hashing them, when every one is still the file written (the caller
   * knows the content written is what it would make): true when kept; else
   * none is recorded, and the caller makes them. Only for a site updated in
   * place: otherwise there is no previous site to keep files from. `places`:
   * theirs in the previous manifest, when the caller has them (placesOf).
   */
  keepAll(paths: readonly string[], places = this.options.previous?.files.placesOf(paths)): boolean {
    const previous = this.options.previous?.files;
    if (!this.inPlace || !previous || !places) return false;
    for (let i = 0; i < paths.length; i++) if (!this.keptAsWritten(paths[i] as string, previous, places[i] as number)) return false;
    paths.forEach((path, i) => {
      this.result.linked++;
      this.kept.push(path);
      // The previous manifest's entry, copied as it is stored.
      this.recorded.copy(path, previous, places[i] as number);
    });
    return true;
  }

  /** Whether the previous site's file at `path` is still the one written, to be read back from the site (updated in place only). */
  stillWritten(path: string): boolean {
    const previous = this.options.previous?.files;
    const place = previous?.placeOf(path);
    return this.inPlace && !!previous && place !== undefined && this.keptAsWritten(path, previous, place);
  }

  /** Whether the previous site's file at `place` of its manifest is still as written: as swept, or looked at now. */
  private keptAsWritten(path: string, previous: ManifestFiles, place: number): boolean {
    const sweep = this.options.sweep ?? null;
    return sweep ? !sweep.touched.has(path) : stillWritten(this.out, path, previous.entryAt(place), null);
  }

  /** A file another thread wrote into the temporary folder, or kept (writeInto). */
  record(path: string, entry: ManifestEntry, linked: boolean): void {
    if (linked) {
      this.result.linked++;
      this.kept.push(path);
    } else {
      this.result.written++;
      this.staged.push(path);
    }
    this.recorded.add(path, entry);
  }

  finish(): WriteResult {
    try {
      const { files, gone } = this.recorded.take();
      this.result.manifest.files = files;
      if (this.inPlace) {
        const folders = foldersOf(files.keys());
        const { extra: removed, times } = extraEntries(this.out, { files, gone }, folders, this.options.previous as SiteManifest, this.options.sweep ?? null);
        if (this.staged.length + removed.length <= inPlaceLimit) {
          this.swapInPlace(removed);
          // Only the folders the swap renamed something in (or made) changed: looked at again, the others as found.
          const touched = foldersOf([...this.staged, ...removed]);
          for (const [dir, time] of folderTimes(this.out, touched)) times.set(dir, time);
          this.result.manifest.dirs = settled(times, folders);
          return this.result;
        }
        // Too many changes to swap file by file: the unchanged files join the new ones, and the folder is swapped in whole.
        for (const path of this.kept) {
          const target = inside(this.tmp, path);
          this.dirs.make(dirname(target));
          linkSync(inside(this.out, path), target);
        }
      }
      const old = `${this.out}.old-${process.pid}`;
      const hadSite = existsSync(this.out);
      if (hadSite) renameSync(this.out, old);
      renameSync(this.tmp, this.out);
      if (hadSite) discard(old, this.options.trash);
      const folders = foldersOf(this.result.manifest.files.keys());
      this.result.manifest.dirs = settled(folderTimes(this.out, folders), folders);
      return this.result;
    } finally {
      this.release();
    }
  }

  /**
   * Moves the staged files into the site one by one, and what is no longer
   * part of it out, keeping the old versions aside under a journal written
   * first; the swap is complete when the journal is removed. Any failure
   * meanwhile puts the site back as it was.
   */
  private swapInPlace(extra: string[]): void {
    const undo = `${this.out}.undo-${process.pid}`;
    const old = join(undo, 'files');
    const kind = (path: string) => lstatSync(inside(this.out, path), { throwIfNoEntry: false });
    // A folder where a file is to go goes too; folders before what they hold (shorter paths first), which goes with them.
    const removed = [...new Set([...extra, ...this.staged.filter((path) => kind(path)?.isDirectory())])].sort((a, b) => a.length - b.length);
    const removedSet = new Set(removed);
    const replaced = this.staged.filter((path) => !removedSet.has(path) && kind(path) !== undefined);
    const replacedSet = new Set(replaced);
    const added = this.staged.filter((path) => !replacedSet.has(path));
    rmSync(undo, { recursive: true, force: true });
    mkdirSync(old, { recursive: true });
    writeFileSync(join(undo, journalName), JSON.stringify({ replaced, added, removed } satisfies UndoJournal));
    const oldDirs = new FolderMaker(old);
    const outDirs = new FolderMaker(this.out);
    try {
      for (const path of removed) {
        // Gone with its folder already.
        if (kind(path) === undefined) continue;
        const target = inside(old, path);
        oldDirs.make(dirname(target));
        renameSync(inside(this.out, path), target);
      }
      for (const path of replaced) {
        const target = inside(old, path);
        oldDirs.make(dirname(target));
        linkSync(inside(this.out, path), target);
        renameSync(inside(this.tmp, path), inside(this.out, path));
      }
      for (const path of added) {
        const target = inside(this.out, path);
        outDirs.make(dirname(target));
        renameSync(inside(this.tmp, path), target);
      }
      for (const path of removed) pruneEmpty(this.out, path);
    } catch (error) {
      rollBack(this.out, undo);
      rmSync(this.tmp, { recursive: true, force: true });
      throw error;
    }
    // The swap is complete: nothing to undo.
    rmSync(join(undo, journalName));
    rmSync(undo, { recursive: true, force: true });
    rmSync(this.tmp, { recursive: true, force: true });
  }

  abort(): void {
    try {
      rmSync(this.tmp, { recursive: true, force: true });
    } finally {
      this.release();
    }
  }
}
