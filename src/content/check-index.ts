/**
 * The check index: the cross-report views (content/check-view.ts) of every
 * report file a `nianbao check` of the same paths read last time, in one
 * cache entry, each under the file's identity as the file system states it
 * (device, inode, size, modification and change times), as git's index
 * keeps its files. A check whose files stat as they did reads one entry
 * instead of every report and two cache entries per report; a file that
 * stats otherwise is read through the content-keyed cache as before. Beside
 * it, the findings of that check, under the identities of all its files and
 * their sidecars' contents: when nothing changed, nothing is checked again.
 *
 * Both live under the cache's version folder (nianbao's own version), are
 * checksummed and written aside then renamed (site/cache.ts), so a torn or
 * foreign entry is never served.
 *
 * Racy files (git's racy-clean rule): a file changed again within the
 * granularity of its timestamps after it was read would stat as it did. A
 * file whose times are not clearly before the check started is therefore
 * never indexed, and is read by its content until it has settled.
 */
import { statSync, type Stats } from 'node:fs';
import type { Finding } from '../rules/types.js';
import { sha256, type BuildCache } from '../site/cache.js';

const INDEX_KIND = 'check-index';
const RESULT_KIND = 'check-results';
/**
 * How long before the check started a file must have last changed for its
 * identity to be trusted: above the coarsest timestamp granularity (FAT's
 * 2 s) and small clock differences between the file system and this process.
 */
const SETTLED_MS = 3000;

/** A file's identity as stated by stat: any write, rename over it or chmod changes the change time. */
function identityOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/** The identity of a file that has settled, else null (missing, unreadable, or changed too recently). */
function settledIdentity(path: string, startedAt: number): string | null {
  let stats: Stats | undefined;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch {
    return null;
  }
  if (!stats || !(stats.ctimeMs < startedAt - SETTLED_MS && stats.mtimeMs < startedAt - SETTLED_MS)) return null;
  return identityOf(stats);
}

/** The findings of a check and the files it names, as the report formats take them. */
export interface CheckResult {
  findings: Finding[];
  files: string[];
}

export class CheckIndex {
  private readonly name: string;
  /** Identities of the settled files, taken before any of them is read: a change after that shows next time. */
  private readonly identities = new Map<string, string>();
  private readonly kept = new Map<string, { identity: string; entry: string }>();
  private indexedCount = 0;
  private changed = false;

  /** The index of a check of `paths` over `files` (those of the check, listed). */
  constructor(
    private readonly cache: BuildCache | null,
    paths: readonly string[],
    private readonly files: readonly string[],
  ) {
    this.name = sha256('check', JSON.stringify(paths));
    const startedAt = Date.now();
    for (const path of files) {
      const identity = settledIdentity(path, startedAt);
      if (identity !== null) this.identities.set(path, identity);
    }
  }

  /**
   * The key of the check's result: every file's identity and what is read
   * afresh each time (sidecars, listing failures), given as `inputs`. Null
   * when a file has not settled: its identity says nothing yet.
   */
  resultKey(inputs: unknown): string | null {
    if (this.identities.size !== this.files.length) return null;
    return sha256('check-result', JSON.stringify(this.files.map((path) => [path, this.identities.get(path)])), JSON.stringify(inputs));
  }

  /** The result kept under `key`, if any. */
  result(key: string): CheckResult | null {
    const kept = this.cache?.get<{ key: string; result: CheckResult }>(RESULT_KIND, this.name) ?? null;
    return kept !== null && kept.key === key ? kept.result : null;
  }

  /** Keeps the result under `key`, in place of the last one of the same paths. */
  keepResult(key: string, result: CheckResult): void {
    this.cache?.put(RESULT_KIND, this.name, { key, result });
  }

  /** The view entries (ReportEntry as JSON text) of the files whose identity is as indexed. */
  views(): Map<string, string> {
    const indexed = new Map<string, { identity: string; entry: string }>();
    for (const { path, content } of this.cache?.getFiles(INDEX_KIND, this.name) ?? []) {
      const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
      const newline = text.indexOf('\n');
      indexed.set(path, { identity: text.slice(0, newline), entry: text.slice(newline + 1) });
    }
    this.indexedCount = indexed.size;
    const hits = new Map<string, string>();
    for (const [path, identity] of this.identities) {
      const old = indexed.get(path);
      if (old && old.identity === identity) {
        hits.set(path, old.entry);
        this.kept.set(path, old);
      }
    }
    return hits;
  }

  /** Remembers the view of a file read afresh (not when its identity cannot be trusted yet). */
  record(path: string, entry: string): void {
    const identity = this.identities.get(path);
    if (identity === undefined) return;
    this.kept.set(path, { identity, entry });
    this.changed = true;
  }

  /** Writes the index when it no longer matches the files checked. */
  save(): void {
    if (!this.cache || !(this.changed || this.kept.size !== this.indexedCount)) return;
    const entries = [...this.kept].map(([path, { identity, entry }]) => ({ path, content: Buffer.from(`${identity}\n${entry}`) }));
    this.cache.putFiles(INDEX_KIND, this.name, entries);
  }
}
