/**
 * The check index: the cross-report views (content/check-view.ts) of every
 * report file a `nianbao check` of the same paths read last time, in a few
 * cache entries (shards by path), each under the file's identity as the file
 * system states it (device, inode, size, modification and change times), as
 * git's index keeps its files. A check whose files stat as they did reads
 * the shards instead of every report and its cache entry; a file that stats
 * otherwise is read through the content-keyed cache. Beside the index, the
 * output of the last check in each format, under the identities of all its
 * files and their sidecars' contents: when nothing changed, nothing is read
 * or checked again.
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
import { sha256, type BuildCache, type CachedFile, type ReportEntry } from '../site/cache.js';
import type { Cell, Position, Tables } from '../template/model.js';
import { identityOf, isSettled, settledIdentity, shardKey, shardOf, SHARDS, type FileStamp } from './file-identity.js';

const INDEX_KIND = 'check-index';
const RESULT_KIND = 'check-results';

/**
 * A cell in the index: a number cell whose text is its number and whose
 * position is plain, as [value, line, column]; any other as it is. Cells are
 * most of a view, and their field names most of a cell: reading the index
 * back was mostly parsing them. Only finite values: the cell is compacted
 * before it is JSON text (in a worker), where NaN would read back as null.
 */
type IndexedCell = Cell | [number, number, number];

/**
 * Whether the object's own enumerable keys are exactly `keys`, in that order
 * (as a compacted cell expands to). Walked by for-in, which allocates
 * nothing (Object.keys per cell and position was most of compacting): with
 * Object.prototype as prototype, for-in gives the own keys first and any
 * inherited enumerable key only adds to the count.
 */
function hasKeysInOrder(object: object, keys: readonly string[]): boolean {
  if (Object.getPrototypeOf(object) !== Object.prototype) return false;
  let i = 0;
  for (const key in object) if (key !== keys[i++]) return false;
  return i === keys.length;
}

const cellKeys = ['state', 'value', 'text', 'position'];
const positionKeys = ['line', 'column'];

function expandCell(cell: IndexedCell | null): Cell | null {
  return Array.isArray(cell) ? { state: 'number', value: cell[0], text: String(cell[0]), position: { line: cell[1], column: cell[2] } } : cell;
}

/**
 * A compacted number cell as check's rules read it: its text and position
 * made only when asked for (for a finding's message). A cell, its position
 * and its text, three objects for each of 400,000 cells at 10,000 reports,
 * were most of what check's main thread made and kept of the views.
 */
class CompactedNumberCell implements Cell {
  readonly state = 'number';
  constructor(
    readonly value: number,
    private readonly line: number,
    private readonly column: number,
  ) {}

  get text(): string {
    return String(this.value);
  }

  get position(): Position {
    return { line: this.line, column: this.column };
  }
}

function compactedCell(cell: IndexedCell | null): Cell | null {
  return Array.isArray(cell) ? new CompactedNumberCell(cell[0], cell[1], cell[2]) : cell;
}

/** A cell as the index writes it: compacted when expandCell gives it back exactly, else as it is. */
function compactedForIndex(cell: Cell): IndexedCell {
  const { value, position } = cell;
  if (
    cell.state === 'number' && typeof value === 'number' && Number.isFinite(value) && cell.text === String(value) &&
    typeof position === 'object' && position !== null && Number.isFinite(position.line) && Number.isFinite(position.column) &&
    hasKeysInOrder(cell, cellKeys) && hasKeysInOrder(position, positionKeys)
  )
    return [value, position.line, position.column];
  return cell;
}

/**
 * A copy of the tables with their cells compacted, for JSON.stringify to
 * write in one call; null if a cell is not an object, or a name would not
 * copy as an own member. Written piece by piece instead, the text was a
 * string of thousands of pieces that had to be joined again when posted to
 * the main thread: both cost more than twice the copy and one stringify.
 */
function compactedTables(tables: Tables): Record<string, unknown> | null {
  if (typeof tables !== 'object' || tables === null) return null;
  const copy: Record<string, unknown> = {};
  for (const name in tables) {
    const table = tables[name as keyof Tables] as Record<string, Cell[] | Record<string, Cell>> | null | undefined;
    // JSON.stringify leaves undefined members out.
    if (table === undefined) continue;
    if (name === '__proto__') return null;
    if (table === null) {
      copy[name] = null;
      continue;
    }
    if (typeof table !== 'object') return null;
    const rows: Record<string, (IndexedCell | null)[] | Record<string, IndexedCell>> = {};
    for (const key in table) {
      const row = table[key] as Cell[] | Record<string, Cell> | null;
      if (typeof row !== 'object' || row === null || key === '__proto__') return null;
      if (Array.isArray(row)) {
        const cells: (IndexedCell | null)[] = new Array(row.length);
        for (let i = 0; i < row.length; i++) {
          const cell = row[i] as unknown;
          // An array where a cell belongs could not be told from a compacted cell; null is a cell a view leaves out (site-index.ts siteView).
          if (Array.isArray(cell) || typeof cell !== 'object') return null;
          cells[i] = cell === null ? null : compactedForIndex(cell as Cell);
        }
        rows[key] = cells;
      } else {
        const cells: Record<string, IndexedCell> = {};
        for (const column in row) {
          const cell = row[column] as unknown;
          if (Array.isArray(cell) || typeof cell !== 'object' || cell === null || column === '__proto__') return null;
          cells[column] = compactedForIndex(cell as Cell);
        }
        rows[key] = cells;
      }
    }
    copy[name] = rows;
  }
  return copy;
}

function expandTables(tables: Record<string, unknown>, expand: (cell: IndexedCell | null) => Cell | null): void {
  for (const table of Object.values(tables)) {
    if (table === null) continue;
    for (const row of Object.values(table as Record<string, (IndexedCell | null)[] | Record<string, IndexedCell | null>>)) {
      if (Array.isArray(row)) for (let i = 0; i < row.length; i++) row[i] = expand(row[i] as IndexedCell | null);
      else for (const key of Object.keys(row)) row[key] = expand(row[key] as IndexedCell | null);
    }
  }
}

/**
 * A view entry as the index keeps it: `c` and the entry with compacted
 * tables, or `p` and the entry as it was. Made where the report is read (a
 * worker), so that the check's main thread only parses it.
 */
export function indexedText(entry: ReportEntry): string {
  const tables = compactedTables(entry.report.tables);
  if (tables === null) return `p${JSON.stringify(entry)}`;
  return `c${JSON.stringify({ ...entry, report: { ...entry.report, tables } })}`;
}

/** The entry an indexed text was made of, each cell as it was. */
export function entryOfIndexed(text: string): ReportEntry {
  return parseIndexed(text, expandCell);
}

/** The entry an indexed text was made of, for check's rules: its compacted cells as CompactedNumberCell. */
export function checkedEntryOfIndexed(text: string): ReportEntry {
  return parseIndexed(text, compactedCell);
}

function parseIndexed(text: string, expand: (cell: IndexedCell | null) => Cell | null): ReportEntry {
  const entry = JSON.parse(text.slice(1)) as ReportEntry;
  if (text[0] === 'c') expandTables(entry.report.tables as unknown as Record<string, unknown>, expand);
  return entry;
}

/** The name of the index and kept results of a check of `paths`. */
function nameOf(paths: readonly string[]): string {
  return sha256('check', JSON.stringify(paths));
}


/** A check's output in one format, and what its exit code follows from. */
export interface CheckResult {
  output: Uint8Array;
  /** Standing errors and warnings (accepted findings aside). */
  errors: number;
  warnings: number;
  /** Whether a path given does not exist (a usage error). */
  pathMissing: boolean;
}

export class CheckIndex {
  private readonly name: string;
  /**
   * Identities of the settled files, each taken before the file is read (by
   * stat here, or from the descriptor it is read from): a change after that
   * shows next time.
   */
  private readonly identities = new Map<string, string>();
  /** Files whose identity was taken and found too recent to trust. */
  private readonly unsettled = new Set<string>();
  private readonly startedAt = Date.now();
  /**
   * Per shard, the records to keep by path (`identity` in Latin-1, newline,
   * indexed text in UTF-16), whether the shard changed, and the chunks its
   * records are written in (RecordChunks).
   */
  private readonly shards = Array.from({ length: SHARDS }, () => ({
    records: new Map<string, Uint8Array>(),
    read: 0,
    changed: false,
    chunks: new RecordChunks(),
  }));

  /** The index of a check of `paths` over `files` (those of the check, listed), started now. */
  constructor(
    private readonly cache: BuildCache | null,
    paths: readonly string[],
    private readonly files: readonly string[],
  ) {
    this.name = nameOf(paths);
  }

  /** Takes by stat the identity of each file not identified yet: all before any is read, or after reading those no worker could read. */
  identify(): void {
    for (const path of this.files) {
      if (this.identities.has(path) || this.unsettled.has(path)) continue;
      const identity = settledIdentity(path, this.startedAt);
      if (identity === null) this.unsettled.add(path);
      else this.identities.set(path, identity);
    }
  }

  /** A file's identity from the stamp of the descriptor it was read from (content/check-view.ts), unless it was taken already. */
  stamped(path: string, stamp: FileStamp): void {
    if (this.identities.has(path) || this.unsettled.has(path)) return;
    if (isSettled(stamp, this.startedAt)) this.identities.set(path, identityOf(stamp));
    else this.unsettled.add(path);
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

  /** The result in `format` kept under `key`, if any. */
  result(key: string, format: string): CheckResult | null {
    const [summary, output] = this.cache?.getFiles(RESULT_KIND, this.resultName(format)) ?? [];
    if (!summary || !output) return null;
    const kept = JSON.parse(Buffer.from(summary.content).toString('utf8')) as { key: string } & Omit<CheckResult, 'output'>;
    return kept.key === key ? { output: output.content, errors: kept.errors, warnings: kept.warnings, pathMissing: kept.pathMissing } : null;
  }

  /** Keeps the result in `format` under `key`, in place of the last one of the same paths and format. */
  keepResult(key: string, format: string, { output, errors, warnings, pathMissing }: CheckResult): void {
    this.cache?.putFiles(RESULT_KIND, this.resultName(format), [
      { path: 'summary', content: Buffer.from(JSON.stringify({ key, errors, warnings, pathMissing })) },
      { path: 'output', content: output },
    ]);
  }

  private resultName(format: string): string {
    return sha256(this.name, format);
  }

  /** Whether the index of a check of `paths` holds any view: if not, every file will be read. */
  static keepsViews(cache: BuildCache | null, paths: readonly string[]): boolean {
    const name = nameOf(paths);
    for (let shard = 0; shard < SHARDS; shard++) if (cache?.has(INDEX_KIND, shardKey(name, shard))) return true;
    return false;
  }

  /** The views of the files whose identity is as indexed, by path. */
  views(): Map<string, ReportEntry> {
    const hits = new Map<string, ReportEntry>();
    const wanted = new Set<number>();
    for (const path of this.identities.keys()) wanted.add(shardOf(path));
    for (const [shard, kept] of this.shards.entries()) {
      const records = wanted.has(shard) ? (this.cache?.getFiles(INDEX_KIND, shardKey(this.name, shard)) ?? []) : [];
      kept.read = records.length;
      for (const { path, content } of records) {
        const newline = content.indexOf(0x0a);
        const identity = Buffer.from(content.buffer, content.byteOffset, newline).toString('latin1');
        if (identity !== this.identities.get(path)) continue;
        const text = Buffer.from(content.buffer, content.byteOffset + newline + 1, content.byteLength - newline - 1).toString('utf16le');
        hits.set(path, checkedEntryOfIndexed(text));
        kept.records.set(path, content);
      }
    }
    return hits;
  }

  /** Remembers the view of a file read afresh, as indexedText made it (not when its identity cannot be trusted yet). */
  record(path: string, indexed: string): void {
    const identity = this.identities.get(path);
    if (identity === undefined) return;
    const shard = this.shards[shardOf(path)] as (typeof this.shards)[number];
    // The text as UTF-16: mostly Chinese, it is hardly larger than as UTF-8, and reads back several times faster.
    const record = shard.chunks.take(identity.length + 1 + indexed.length * 2);
    const at = record.write(`${identity}\n`, 'latin1');
    record.write(indexed, at, 'utf16le');
    shard.records.set(path, record);
    shard.changed = true;
  }

  /**
   * The shards that no longer match the files checked, as cache entries to
   * write, each with its records in chunks of its own, so that they can be
   * handed to another thread to write (content/check-readers.ts finish).
   */
  changedShards(): CacheEntryFiles[] {
    if (!this.cache) return [];
    const entries: CacheEntryFiles[] = [];
    for (const [shard, kept] of this.shards.entries()) {
      if (!kept.changed && kept.records.size === kept.read) continue;
      // A record kept from a shard read is a slice of that shard's buffer: copied into the shard's own chunks.
      const files: CachedFile[] = [...kept.records].map(([path, content]) => ({ path, content: kept.chunks.holds(content) ? content : kept.chunks.copy(content) }));
      entries.push({ kind: INDEX_KIND, key: shardKey(this.name, shard), files, buffers: kept.chunks.buffers() });
    }
    return entries;
  }
}

/** Records are written into chunks of this size (a larger record into one of its own). */
const CHUNK_BYTES = 1 << 16;

/**
 * The buffers a shard's records are written in, each a buffer of its own
 * (no slice of Node's pool) that only this shard's records are in, so that
 * the shard's can be handed to the thread that saves it. One buffer per
 * record was 10,000 allocations of a check's main thread, and as many
 * buffers to hand over.
 */
class RecordChunks {
  private readonly chunks: Buffer[] = [];
  private used = CHUNK_BYTES;

  /** Room for a record of `size` bytes. */
  take(size: number): Buffer {
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || this.used + size > chunk.length) {
      chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, size));
      this.chunks.push(chunk);
      this.used = 0;
    }
    const room = chunk.subarray(this.used, this.used + size);
    this.used += size;
    return room;
  }

  copy(content: Uint8Array): Buffer {
    const room = this.take(content.byteLength);
    room.set(content);
    return room;
  }

  holds(content: Uint8Array): boolean {
    return this.chunks.some((chunk) => chunk.buffer === content.buffer);
  }

  buffers(): ArrayBuffer[] {
    return this.chunks.map((chunk) => chunk.buffer as ArrayBuffer);
  }
}

/** One cache entry of files (BuildCache.putFiles) to write, and the buffers its files' bytes are in. */
export interface CacheEntryFiles {
  kind: string;
  key: string;
  files: CachedFile[];
  buffers: ArrayBuffer[];
}
