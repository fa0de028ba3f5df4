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
 */
import { createHash, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Acceptance, Message, Report } from '../template/model.js';
import { sha256OfTexts } from './hash.js';

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

  constructor(
    readonly root: string,
    readonly version: string,
    { prune = true } = {},
  ) {
    this.dir = join(root, `v-${version}`);
    mkdirSync(this.dir, { recursive: true });
    // Entries of other versions are never read again.
    if (prune) {
      for (const name of readdirSync(root)) {
        if (name.startsWith('v-') && name !== `v-${version}`) rmSync(join(root, name), { recursive: true, force: true });
      }
    }
  }

  /** The cache in `root`, or none when it cannot be made there (a read-only folder only costs time). */
  static open(root: string, version: string): BuildCache | null {
    try {
      return new BuildCache(root, version);
    } catch {
      return null;
    }
  }

  /** Where replaced sites go to be deleted in the background. */
  get trash(): string {
    return join(this.root, 'trash');
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
    return existsSync(this.entryPath(kind, key));
  }

  /** The text of an entry with its checksum (sha256 of the text), or null when there is none or the checksum does not match. */
  getChecked(kind: string, key: string): { text: string; checksum: string } | null {
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
    this.putBytes(kind, key, Buffer.from(`${checksum}\n${body}`));
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

  /** getFiles with the entry read and its checksum worked out in the thread pool, so that the calling thread can go on meanwhile. */
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
    const checksum = Buffer.from(await webcrypto.subtle.digest('SHA-256', withNul.subarray(65))).toString('hex');
    try {
      return bytes.toString('latin1', 0, 64) === checksum ? filesIn(bytes.subarray(65)) : null;
    } catch {
      // Never a rejection: several are awaited one after another, and one left unawaited must not end the process.
      return null;
    }
  }

  putFiles(kind: string, key: string, files: readonly CachedFile[]): void {
    const header = Buffer.from(`${JSON.stringify(files.map((f) => [f.path, f.content.length]))}\n`);
    const body = Buffer.concat([header, ...files.map((f) => f.content)]);
    this.putBytes(kind, key, Buffer.concat([Buffer.from(`${sha256(body)}\n`), body]));
  }

  private putBytes(kind: string, key: string, bytes: Uint8Array): void {
    const path = this.entryPath(kind, key);
    const draft = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    try {
      const folder = dirname(path);
      if (!this.folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        this.folders.add(folder);
      }
      writeFileSync(draft, bytes);
      renameSync(draft, path);
    } catch {
      // A cache that cannot be written only costs time.
      rmSync(draft, { force: true });
    }
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
