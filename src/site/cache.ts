/**
 * The build cache (`.nianbao-cache/` by default, never inside the output):
 * what reading and the per-report rules made of each report file, the site
 * index of each content folder (site-index.ts: each file's site view under
 * its identity), the search index of each group of pages, and the manifest
 * of the last site written to each output folder.
 *
 * Entries live under a folder named by nianbao's own version: the package
 * version, the compiled code (parsers, rules, views) and the templates. Any
 * change to one of them makes a new folder, so nothing is ever trusted
 * across versions; the folders of other versions are removed. Each entry
 * starts with the checksum of the rest, and one that does not match (a torn
 * or damaged file) is read again from the report. Entries are written aside
 * and renamed into place, so concurrent builds never see half of one.
 *
 * Report readings, tens of thousands at a time, are kept in packs (see
 * ReadingPacks) rather than a file each: on a slow disk creating a file
 * costs more than writing its bytes.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writevSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Acceptance, Message, Report } from '../template/model.js';
import { sha256Bytes, sha256OfTexts } from './hash.js';

const codeDir = fileURLToPath(new URL('../', import.meta.url));
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
/** `templates/` of the package, from src/site or lib/site alike. */
export const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));

export function sha256(...parts: (string | Uint8Array)[]): string {
  if (parts.every((part) => typeof part === 'string')) return sha256OfTexts(parts as string[]);
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** Every file under a folder, sorted, with its path relative to the folder. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** nianbao's own version: package version and lock, compiled code, templates. */
export function versionKey(templatesDir: string, code = codeDir): string {
  const hash = createHash('sha256');
  for (const name of ['package.json', 'package-lock.json']) {
    try {
      hash.update(name).update(readFileSync(join(packageDir, name)));
    } catch {
      hash.update(`${name} missing`);
    }
  }
  for (const [label, dir] of [
    ['code', code],
    ['templates', templatesDir],
  ] as const) {
    for (const file of filesUnder(dir)) hash.update(`${label}/${file}\0`).update(readFileSync(join(dir, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/** Cache kinds of a report file's readings: the whole report (check keeps its views in its own index, content/check-index.ts). */
export const readingKinds = { whole: 'reports' } as const;

/** What the cache keeps of one report file. */
export interface ReportEntry {
  report: Report;
  /** reportRuleMessages of the report. */
  messages: Message[];
}

/** The entry with a sidecar's accepted exceptions added to its report's. */
export function withAccepted(entry: ReportEntry, accepted: readonly Acceptance[]): ReportEntry {
  if (accepted.length > 0) entry.report.accepted = [...entry.report.accepted, ...accepted];
  return entry;
}

export class BuildCache {
  readonly dir: string;
  /** Entry folders known to exist: one recursive mkdir per entry written cost more than the write. */
  private readonly folders = new Set<string>();
  /** The entries of kind readingKinds.whole. */
  private readonly readings: ReadingPacks;

  /**
   * False for a cache that lasts only for the build using it (one given no
   * cache keeps one beside its output): it keeps the whole readings, which
   * the build reads back from it, and writes nothing only a later build
   * would read (check memo, site index, search shards, manifest), nor takes
   * a replaced site into its trash.
   */
  readonly lasting: boolean;

  constructor(
    readonly root: string,
    readonly version: string,
    { prune = true, lasting = true } = {},
  ) {
    this.lasting = lasting;
    this.dir = join(root, `v-${version}`);
    this.readings = new ReadingPacks(join(this.dir, readingKinds.whole));
    mkdirSync(this.dir, { recursive: true });
    // Entries of other versions are never read again.
    if (prune) {
      for (const name of readdirSync(root)) {
        if (name.startsWith('v-') && name !== `v-${version}`) rmSync(join(root, name), { recursive: true, force: true });
      }
    }
  }

  /** The cache in `root`, or none when it cannot be made there (a read-only folder only costs time). */
  static open(root: string, version: string, { lasting = true } = {}): BuildCache | null {
    try {
      return new BuildCache(root, version, { lasting });
    } catch {
      return null;
    }
  }

  /** Where replaced sites go to be deleted in the background; none for a cache that does not last (it goes when the build ends). */
  get trash(): string | undefined {
    return this.lasting ? join(this.root, 'trash') : undefined;
  }

  /** The key of a report file: where it is read from, what its file is called in the site, and its bytes. */
  static reportKey(path: string, file: string, bytes: Uint8Array): string {
    return sha256('report', path, file, bytes);
  }

  private entryPath(kind: string, key: string): string {
    return join(this.dir, kind, key.slice(0, 2), `${key}.json`);
  }

  /** Whether an entry is there (sound or not): a cheap look before work that pays only when one is. */
  has(kind: string, key: string): boolean {
    if (kind === readingKinds.whole) return this.readings.has(key);
    return existsSync(this.entryPath(kind, key));
  }

  /** The text of an entry with its checksum (sha256 of the text), or null when there is none or the checksum does not match. */
  getChecked(kind: string, key: string): { text: string; checksum: string } | null {
    if (kind === readingKinds.whole) return this.readings.get(key);
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.entryPath(kind, key));
    } catch {
      return null;
    }
    if (bytes.length < 65 || bytes[64] !== 0x0a) return null;
    const body = bytes.subarray(65);
    const checksum = bytes.toString('latin1', 0, 64);
    // The bytes are hashed as read: hashing the decoded text would encode it all again.
    return checksum === sha256(body) ? { text: body.toString('utf8'), checksum } : null;
  }

  /** The text of an entry, or null when there is none or its checksum does not match. */
  getText(kind: string, key: string): string | null {
    return this.getChecked(kind, key)?.text ?? null;
  }

  get<T>(kind: string, key: string): T | null {
    const text = this.getText(kind, key);
    return text === null ? null : (JSON.parse(text) as T);
  }

  /** Keeps `body` under `key`; `checksum` is sha256(body), when the caller has it already. */
  putText(kind: string, key: string, body: string, checksum = sha256(body)): void {
    if (kind === readingKinds.whole) this.readings.add(key, body, checksum);
    else this.putBytes(kind, key, [Buffer.from(`${checksum}\n${body}`)]);
  }

  /** Writes the report readings put since the last flush (kept in memory until their pack fills up, or this). */
  flush(): void {
    this.readings.flush();
  }

  put(kind: string, key: string, value: unknown): void {
    this.putText(kind, key, JSON.stringify(value));
  }

  /**
   * Files kept as one entry: the checksum line, a line of JSON naming each
   * file and its length, then the files' bytes back to back.
   */
  getFiles(kind: string, key: string): CachedFile[] | null {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.entryPath(kind, key));
    } catch {
      return null;
    }
    if (bytes.length < 65 || bytes[64] !== 0x0a) return null;
    const body = bytes.subarray(65);
    return bytes.toString('latin1', 0, 64) === sha256(body) ? filesIn(body) : null;
  }

  /**
   * getFiles with the entry read in the thread pool, so that the calling
   * thread can go on meanwhile. The checksum is worked out here: WebCrypto's
   * digest, though it returns a promise, hashed in the calling thread too,
   * and took longer (site index shards at 10,000 reports, 76 MB: ~130 ms in
   * a rebuild's profile, against ~40 ms).
   */
  async getFilesAsync(kind: string, key: string): Promise<CachedFile[] | null> {
    // Read with a NUL after the bytes: the checksum is sha256's of the body and a NUL (as sha256(body) hashes it).
    let withNul: Buffer;
    try {
      withNul = await readFollowedByNul(this.entryPath(kind, key));
    } catch {
      return null;
    }
    const bytes = withNul.subarray(0, withNul.length - 1);
    if (bytes.length < 65 || bytes[64] !== 0x0a) return null;
    const checksum = sha256Bytes(withNul.subarray(65));
    try {
      return bytes.toString('latin1', 0, 64) === checksum ? filesIn(bytes.subarray(65)) : null;
    } catch {
      // Never a rejection: several are awaited one after another, and one left unawaited must not end the process.
      return null;
    }
  }

  putFiles(kind: string, key: string, files: readonly CachedFile[]): void {
    const body = [Buffer.from(`${JSON.stringify(files.map((f) => [f.path, f.content.length]))}\n`), ...files.map((f) => f.content)];
    // Hashed and written piece by piece: the entry joined, then joined to its checksum, copied every byte twice (45 MB of check index at 10,000 reports).
    const hash = createHash('sha256');
    for (const piece of body) hash.update(piece);
    // As sha256(body) of the joined body hashes it, and getFiles checks it.
    const checksum = hash.update('\0').digest('hex');
    this.putBytes(kind, key, [Buffer.from(`${checksum}\n`), ...body]);
  }

  private putBytes(kind: string, key: string, pieces: readonly Uint8Array[]): void {
    // Every entry but the whole readings (kept in packs): what only a later build reads.
    if (!this.lasting) return;
    const path = this.entryPath(kind, key);
    const folder = dirname(path);
    if (writeAside(path, pieces, !this.folders.has(folder))) this.folders.add(folder);
  }
}

/**
 * Writes `pieces`, one after another, under a draft name beside `path`
 * (making its folder first when asked), then renames the draft into place,
 * so that no reader ever sees part of them: false when that failed, a cache
 * that cannot be written only costing time. A draft never ends as the path
 * does.
 */
function writeAside(path: string, pieces: readonly Uint8Array[], makeFolder: boolean): boolean {
  const draft = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    if (makeFolder) mkdirSync(dirname(path), { recursive: true });
    writePieces(draft, pieces);
    renameSync(draft, path);
    return true;
  } catch {
    rmSync(draft, { force: true });
    return false;
  }
}

/** A new file of the pieces one after another, in one write: no copy of them joined is made. */
function writePieces(path: string, pieces: readonly Uint8Array[]): void {
  const fd = openSync(path, 'w');
  try {
    const written = writevSync(fd, pieces as Uint8Array[]);
    let size = 0;
    for (const piece of pieces) size += piece.byteLength;
    if (written !== size) throw new Error(`${path}: ${written} of ${size} bytes written`);
  } finally {
    closeSync(fd);
  }
}

/** A file's bytes and a NUL after them, read in the thread pool. */
async function readFollowedByNul(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const bytes = Buffer.allocUnsafe(size + 1);
    bytes[size] = 0;
    for (let done = 0; done < size; ) {
      const { bytesRead } = await file.read(bytes, done, size - done, done);
      // Cut short while read: as if damaged.
      if (bytesRead === 0) throw new Error(`${path} shrank while read`);
      done += bytesRead;
    }
    return bytes;
  } finally {
    await file.close();
  }
}

/** The files of an entry's body (getFiles): a line of JSON naming each file and its length, then their bytes back to back. */
function filesIn(body: Buffer): CachedFile[] {
  const newline = body.indexOf(0x0a);
  const header = JSON.parse(body.toString('utf8', 0, newline)) as [string, number][];
  let offset = newline + 1;
  return header.map(([path, length]) => {
    const content = body.subarray(offset, offset + length);
    offset += length;
    return { path, content };
  });
}

export interface CachedFile {
  path: string;
  content: Uint8Array;
}

/** Where a reading lies in its pack. */
interface Located {
  pack: string;
  offset: number;
  length: number;
  checksum: string;
}

/** Readings at most, and bytes at most, held before a pack is written: a build worker's batch of reports fills one. */
const packEntries = 64;
const packBytes = 16 << 20;

/**
 * A folder's time changes only at the file system clock's tick: a listing
 * taken within a few ticks of its last change might miss a pack added in the
 * same tick, so the folder is listed again at a miss once that long passed.
 */
const settleMs = 50;

/**
 * Report readings kept in packs, each written whole (aside, then renamed)
 * and named by the checksum of its header: a line with that checksum, a line
 * of JSON listing each entry's key, length and checksum (sha256 of its bytes,
 * as a file entry's), then the entries back to back. A pack whose header does
 * not match its checksum is ignored, and an entry whose bytes do not match
 * its own checksum (a torn or damaged pack) is read again from the report.
 * The packs' headers are read at the first look-up, and those of packs added
 * since (by other threads or builds) when a reading is missing and the
 * folder changed.
 */
class ReadingPacks {
  private readonly located = new Map<string, Located>();
  /** Packs whose headers were read. */
  private readonly indexed = new Set<string>();
  /** The folder's modification time when last listed, when that was, and whether the time had settled then. */
  private listedTime: number | null = null;
  private listedAt = 0;
  private settled = false;
  private pending = new Map<string, { body: Buffer; checksum: string }>();
  private pendingBytes = 0;

  constructor(private readonly dir: string) {}

  has(key: string): boolean {
    return this.pending.has(key) || this.located.has(key) || (this.listNew() && this.located.has(key));
  }

  /** The text of a reading with its checksum, or null when no pack holds it whole. */
  get(key: string): { text: string; checksum: string } | null {
    const waiting = this.pending.get(key);
    if (waiting) return { text: waiting.body.toString('utf8'), checksum: waiting.checksum };
    const at = this.located.get(key) ?? (this.listNew() ? this.located.get(key) : undefined);
    if (!at) return null;
    const body = readAt(join(this.dir, at.pack), at.offset, at.length);
    return body && sha256(body) === at.checksum ? { text: body.toString('utf8'), checksum: at.checksum } : null;
  }

  add(key: string, body: string, checksum: string): void {
    const bytes = Buffer.from(body);
    this.pending.set(key, { body: bytes, checksum });
    this.pendingBytes += bytes.length;
    if (this.pending.size >= packEntries || this.pendingBytes >= packBytes) this.flush();
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    this.pending = new Map();
    this.pendingBytes = 0;
    const header = Buffer.from(JSON.stringify(entries.map(([key, { body, checksum }]) => [key, body.length, checksum])));
    const checksum = sha256(header);
    const name = `${checksum}.pack`;
    // Not named `.pack` until whole: a listing never takes a draft for a pack.
    const pieces = [Buffer.from(`${checksum}\n`), header, Buffer.from('\n'), ...entries.map(([, entry]) => entry.body)];
    if (!writeAside(join(this.dir, name), pieces, true)) return;
    this.locate(name, 65 + header.length + 1, entries.map(([key, { body, checksum }]) => [key, body.length, checksum]));
    this.indexed.add(name);
  }

  private locate(pack: string, start: number, entries: readonly [string, number, string][]): void {
    let offset = start;
    for (const [key, length, checksum] of entries) {
      this.located.set(key, { pack, offset, length, checksum });
      offset += length;
    }
  }

  /** Reads the headers of packs not read yet, if the folder changed since last listed: true when any was found. */
  private listNew(): boolean {
    let time: number;
    let names: string[];
    try {
      time = statSync(this.dir).mtimeMs;
      // Unchanged since listed; or changed in the same tick as that listing, listed again only once it may have settled (a
      // build worker misses every reading of a first build: listing the folder at each cost more than the stat).
      if (time === this.listedTime && (this.settled || Date.now() - this.listedAt < settleMs)) return false;
      names = readdirSync(this.dir);
    } catch {
      // No pack written yet.
      return false;
    }
    this.listedTime = time;
    this.listedAt = Date.now();
    this.settled = this.listedAt - time > settleMs;
    let found = false;
    for (const name of names) {
      if (!name.endsWith('.pack') || this.indexed.has(name)) continue;
      this.indexed.add(name);
      const header = packHeader(join(this.dir, name));
      if (!header) continue;
      this.locate(name, header.start, header.entries);
      found = true;
    }
    return found;
  }
}

/** What `read` makes of a file open for reading, or null when it cannot be opened or read. */
function readOpen<T>(path: string, read: (fd: number) => T | null): T | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return read(fd);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** `length` bytes of a file from `offset`, or null when it cannot be read or holds fewer. */
function readAt(path: string, offset: number, length: number): Buffer | null {
  return readOpen(path, (fd) => {
    const bytes = Buffer.allocUnsafe(length);
    for (let done = 0; done < length; ) {
      const read = readSync(fd, bytes, done, length - done, offset + done);
      if (read === 0) return null;
      done += read;
    }
    return bytes;
  });
}

/** A pack's entries and where the first starts, or null when its header is missing, cut short or does not match its checksum. */
function packHeader(path: string): { start: number; entries: [string, number, string][] } | null {
  return readOpen(path, (fd) => {
    // A header of a full pack takes about 9 KB: read in one go, or more when longer.
    let bytes = Buffer.allocUnsafe(64 << 10);
    let length = 0;
    let end = -1;
    while (end < 0) {
      if (length === bytes.length) bytes = Buffer.concat([bytes, Buffer.allocUnsafe(bytes.length)]);
      const read = readSync(fd, bytes, length, bytes.length - length, length);
      if (read === 0) return null;
      length += read;
      end = bytes.subarray(0, length).indexOf(0x0a, 65);
    }
    if (bytes[64] !== 0x0a) return null;
    const header = bytes.subarray(65, end);
    if (bytes.toString('latin1', 0, 64) !== sha256(header)) return null;
    const entries = JSON.parse(header.toString('utf8')) as [string, number, string][];
    return { start: end + 1, entries };
  });
}
