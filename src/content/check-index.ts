/**
 * The check index: the cross-report views (content/check-view.ts) of every
 * report file a `nianbao check` of the same paths read last time, in one
 * cache entry, each under the file's identity as the file system states it
 * (device, inode, size, modification and change times), as git's index
 * keeps its files. A check whose files all stat as they did reads one
 * entry instead of every report and two cache entries per report; a file
 * that stats otherwise is read through the content-keyed cache as before.
 *
 * The entry lives under the cache's version folder (nianbao's own version),
 * is checksummed and written aside then renamed (site/cache.ts), so a torn
 * or foreign one is never served.
 *
 * Racy files (git's racy-clean rule): a file changed again within the
 * granularity of its timestamps after it was read would stat as it did. A
 * file whose change time is not clearly before the check started is
 * therefore left out of the index, and is read by its content next time.
 */
import { statSync, type Stats } from 'node:fs';
import { sha256, type BuildCache } from '../site/cache.js';

const INDEX_KIND = 'check-index';
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

export interface IndexedViews {
  /** The view entry (a ReportEntry as JSON text) of each file whose identity is as indexed. */
  hits: Map<string, string>;
  /** Remembers the view of a file read afresh (not when its identity cannot be trusted yet). */
  record(path: string, entry: string): void;
  /** Writes the index when it no longer matches the files checked. */
  save(): void;
}

/**
 * The index of a check of `paths` over `files` (those of the check, listed):
 * the views still valid, and what to record for the files read afresh.
 */
export function openCheckIndex(cache: BuildCache | null, paths: readonly string[], files: readonly string[]): IndexedViews {
  const startedAt = Date.now();
  const key = sha256('check-index', JSON.stringify(paths));
  const indexed = new Map<string, { identity: string; entry: string }>();
  for (const { path, content } of cache?.getFiles(INDEX_KIND, key) ?? []) {
    const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
    const newline = text.indexOf('\n');
    indexed.set(path, { identity: text.slice(0, newline), entry: text.slice(newline + 1) });
  }
  const identities = new Map<string, string>();
  const hits = new Map<string, string>();
  const kept = new Map<string, { identity: string; entry: string }>();
  for (const path of files) {
    let stats: Stats | undefined;
    try {
      stats = statSync(path, { throwIfNoEntry: false });
    } catch {
      stats = undefined;
    }
    // Stat before the file is read: a change after it then shows as a new identity next time.
    if (!stats || !(stats.ctimeMs < startedAt - SETTLED_MS && stats.mtimeMs < startedAt - SETTLED_MS)) continue;
    const identity = identityOf(stats);
    identities.set(path, identity);
    const old = indexed.get(path);
    if (old && old.identity === identity) {
      hits.set(path, old.entry);
      kept.set(path, old);
    }
  }
  let changed = kept.size !== indexed.size;
  return {
    hits,
    record(path, entry) {
      const identity = identities.get(path);
      if (identity === undefined) return;
      kept.set(path, { identity, entry });
      changed = true;
    },
    save() {
      if (!cache || !changed) return;
      const entries = [...kept].map(([path, { identity, entry }]) => ({ path, content: Buffer.from(`${identity}\n${entry}`) }));
      cache.putFiles(INDEX_KIND, key, entries);
    },
  };
}
