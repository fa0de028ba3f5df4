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
import { statSync, type Stats } from 'node:fs';
import { sha256, type BuildCache, type CachedFile, type ReportEntry } from '../site/cache.js';
import type { Cell, Tables } from '../template/model.js';

const INDEX_KIND = 'check-index';
const RESULT_KIND = 'check-results';
/**
 * How long before the check started a file must have last changed for its
 * identity to be trusted: above the coarsest timestamp granularity (FAT's
 * 2 s) and small clock differences between the file system and this process.
 */
const SETTLED_MS = 3000;
/** The index is kept in shards by path, so that a check after one file changed rewrites one shard, not all. */
const SHARDS = 64;

function shardOf(path: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SHARDS;
}

/**
 * A cell in the index: a number cell whose text is its number and whose
 * position is plain, as [value, line, column]; any other as it is. Cells are
 * most of a view, and their field names most of a cell: reading the index
 * back was mostly parsing them. Only finite values: the cell is compacted
 * before it is JSON text (in a worker), where NaN would read back as null.
 */
type IndexedCell = Cell | [number, number, number];

function compactCell(cell: Cell): IndexedCell {
  const { position } = cell;
  const keys = Object.keys(cell);
  if (
    cell.state === 'number' && typeof cell.value === 'number' && Number.isFinite(cell.value) && cell.text === String(cell.value) && position !== null &&
    keys.length === 4 && keys[0] === 'state' && keys[1] === 'value' && keys[2] === 'text' && keys[3] === 'position'
  ) {
    const at = Object.keys(position);
    if (at.length === 2 && at[0] === 'line' && at[1] === 'column') return [cell.value, position.line, position.column];
  }
  return cell;
}

function expandCell(cell: IndexedCell): Cell {
  return Array.isArray(cell) ? { state: 'number', value: cell[0], text: String(cell[0]), position: { line: cell[1], column: cell[2] } } : cell;
}

/** The tables with their cells compacted (new objects: the report's own are left as they are); null if a cell is not an object. */
function compactTables(tables: Tables): Record<string, unknown> | null {
  const compacted: Record<string, unknown> = {};
  for (const [name, table] of Object.entries(tables)) {
    if (table === null) {
      compacted[name] = null;
      continue;
    }
    const rows: Record<string, unknown> = {};
    for (const [key, row] of Object.entries(table as Record<string, Cell[] | Record<string, Cell>>)) {
      const cells = Array.isArray(row) ? row : Object.values(row);
      // An array where a cell belongs could not be told from a compacted cell.
      if (cells.some((cell) => Array.isArray(cell) || typeof cell !== 'object' || cell === null)) return null;
      rows[key] = Array.isArray(row) ? row.map(compactCell) : Object.fromEntries(Object.entries(row).map(([k, cell]) => [k, compactCell(cell)]));
    }
    compacted[name] = rows;
  }
  return compacted;
}

function expandTables(tables: Record<string, unknown>): void {
  for (const table of Object.values(tables)) {
    if (table === null) continue;
    for (const row of Object.values(table as Record<string, IndexedCell[] | Record<string, IndexedCell>>)) {
      if (Array.isArray(row)) for (let i = 0; i < row.length; i++) row[i] = expandCell(row[i] as IndexedCell);
      else for (const key of Object.keys(row)) row[key] = expandCell(row[key] as IndexedCell);
    }
  }
}

/**
 * A view entry as the index keeps it: `c` and the entry with compacted
 * tables, or `p` and the entry as it was. Made where the report is read (a
 * worker), so that the check's main thread only parses it.
 */
export function indexedText(entry: ReportEntry): string {
  const tables = compactTables(entry.report.tables);
  return tables === null ? `p${JSON.stringify(entry)}` : `c${JSON.stringify({ ...entry, report: { ...entry.report, tables } })}`;
}

export function entryOfIndexed(text: string): ReportEntry {
  const entry = JSON.parse(text.slice(1)) as ReportEntry;
  if (text[0] === 'c') expandTables(entry.report.tables as unknown as Record<string, unknown>);
  return entry;
}

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
  /** Identities of the settled files, taken before any of them is read: a change after that shows next time. */
  private readonly identities = new Map<string, string>();
  /** Per shard, the records to keep by path (`identity` in Latin-1, newline, indexed text in UTF-16), and whether the shard changed. */
  private readonly shards = Array.from({ length: SHARDS }, () => ({ records: new Map<string, Uint8Array>(), read: 0, changed: false }));

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

  private shardKey(shard: number): string {
    return `${this.name}${shard.toString(16).padStart(2, '0')}`;
  }

  /** The views of the files whose identity is as indexed, by path. */
  views(): Map<string, ReportEntry> {
    const hits = new Map<string, ReportEntry>();
    const wanted = new Set<number>();
    for (const path of this.identities.keys()) wanted.add(shardOf(path));
    for (const [shard, kept] of this.shards.entries()) {
      const records = wanted.has(shard) ? (this.cache?.getFiles(INDEX_KIND, this.shardKey(shard)) ?? []) : [];
      kept.read = records.length;
      for (const { path, content } of records) {
        const newline = content.indexOf(0x0a);
        const identity = Buffer.from(content.buffer, content.byteOffset, newline).toString('latin1');
        if (identity !== this.identities.get(path)) continue;
        const text = Buffer.from(content.buffer, content.byteOffset + newline + 1, content.byteLength - newline - 1).toString('utf16le');
        hits.set(path, entryOfIndexed(text));
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
    const record = Buffer.allocUnsafe(identity.length + 1 + indexed.length * 2);
    const at = record.write(`${identity}\n`, 'latin1');
    record.write(indexed, at, 'utf16le');
    shard.records.set(path, record);
    shard.changed = true;
  }

  /** Writes the shards that no longer match the files checked. */
  save(): void {
    if (!this.cache) return;
    for (const [shard, kept] of this.shards.entries()) {
      if (!kept.changed && kept.records.size === kept.read) continue;
      const files: CachedFile[] = [...kept.records].map(([path, content]) => ({ path, content }));
      this.cache.putFiles(INDEX_KIND, this.shardKey(shard), files);
    }
  }
}
