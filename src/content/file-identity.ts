/**
 * How the check index and the site index know a file without reading it:
 * by its identity as stat states it (device, inode, size, modification and
 * change times), as git's index does, trusted only once the file has
 * settled; and the shards by path both keep their records in.
 */
import { statSync, type Stats } from 'node:fs';

/**
 * How long before a run started a file must have last changed for its
 * identity to be trusted: above the coarsest timestamp granularity (FAT's
 * 2 s) and small clock differences between the file system and this process.
 */
const SETTLED_MS = 3000;

/** Records are kept in shards by path, so that a run after one file changed rewrites one shard, not all. */
export const SHARDS = 64;

export function shardOf(path: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SHARDS;
}

/** A shard's cache key under an index's name. */
export function shardKey(name: string, shard: number): string {
  return `${name}${shard.toString(16).padStart(2, '0')}`;
}

/** What stat says of a file that tells its versions apart (git's index keeps the same). */
export type FileStamp = Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>;

/** A file's identity as stated by stat: any write, rename over it or chmod changes the change time. */
export function identityOf(stamp: FileStamp): string {
  return `${stamp.dev}:${stamp.ino}:${stamp.size}:${stamp.mtimeMs}:${stamp.ctimeMs}`;
}

/**
 * Racy files (git's racy-clean rule): a file changed again within the
 * granularity of its timestamps after it was read would stat as it did, so
 * only a file whose times are clearly before the run started is known by them.
 */
export function isSettled(stamp: FileStamp, startedAt: number): boolean {
  return stamp.ctimeMs < startedAt - SETTLED_MS && stamp.mtimeMs < startedAt - SETTLED_MS;
}

/** The identity of a file that has settled, else null (missing, unreadable, or changed too recently). */
export function settledIdentity(path: string, startedAt: number): string | null {
  let stats: Stats | undefined;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch {
    return null;
  }
  return stats && isSettled(stats, startedAt) ? identityOf(stats) : null;
}
