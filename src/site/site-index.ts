/**
 * The site index: of every report file the last build of the same content
 * read, what the site's lists and the rules across reports read of it (its
 * site view, below) with the keys of its whole reading in the build cache,
 * in a few cache entries (shards by path). Each record is kept under the
 * file's identity as stat gives it (device, inode, size, times), as
 * content/check-index.ts keeps check's views: a file that stats as it did is
 * neither read nor hashed, nor is its whole reading read from the cache
 * unless a page made from it must be made. A file that stats otherwise is
 * hashed, and read afresh only when its bytes differ from the record's.
 *
 * The index lives under the cache's version folder (nianbao's code and
 * templates), is checksummed and written aside then renamed (cache.ts), so a
 * torn or foreign shard is never served: its files are read afresh. Each
 * shard is two entries: the records' heads (identity and keys), which every
 * build reads, and their views' texts (most of the bytes: 73 MB at 10,000
 * reports), read only when a view is (a rebuild reads those of the reports
 * it checks again, one that changes nothing none). Both name a token written
 * with them: texts of another writing than the heads are never taken.
 *
 * Racy files (git's racy-clean rule): a file changed again within the
 * granularity of its timestamps after it was read would stat as it did, so
 * a record keeps the identity only of a file whose times were clearly before
 * the build started; any other is known by its bytes' key alone.
 */
import { randomUUID } from 'node:crypto';
import { indexedText } from '../content/check-index.js';
import { settledIdentity, shardKey, shardOf, SHARDS } from '../content/file-identity.js';
import { crossReportView } from '../rules/view.js';
import { totalColumnIndex } from '../rules/cells.js';
import type { Cell, Report, RequestsTable } from '../template/model.js';
import { sha256, type BuildCache, type CachedFile, type ReportEntry } from './cache.js';
import { listedKeyOf } from './view/key-figures.js';

const INDEX_KIND = 'site-index';
/** The views' texts of a shard, kept apart from the heads under the same key. */
const TEXT_KIND = 'site-index-text';

/**
 * What the site's lists (body, year, rule and home pages, feed, sitemap,
 * key figures) and the rules across reports read of a report: the cross
 * report view (rules/view.ts) with every row of table 三, the rows the
 * rules read whole and of the others the total column alone (the other
 * cells null), which the year pages sum and lists key by. Table 三's cells
 * are most of a report's cells: all of them made reading every view back
 * twice as long. Report and comparison pages are made from the whole reading.
 */
export function siteView(report: Report): Report {
  const view = crossReportView(report);
  const across = view.tables.requests;
  const whole = report.tables.requests;
  if (across === whole || !whole) return view;
  const requests: RequestsTable = {};
  for (const [key, row] of Object.entries(whole)) {
    const readAcross = across != null && Object.hasOwn(across, key);
    // A cell left out is null where the model has a Cell: nothing reads a view's cells but the totals of these rows.
    requests[key] = readAcross || !Array.isArray(row) ? row : row.map((cell, i) => (i === totalColumnIndex ? cell : (null as unknown as Cell)));
  }
  return { ...view, tables: { ...view.tables, requests } };
}

/** A report file's reading as the index keeps it. */
export interface IndexedReading {
  /** BuildCache.reportKey of the file's bytes: where its whole reading is kept. */
  key: string;
  /** sha256 of the whole reading's text (Loaded.digest): what the pages made from it are keyed by. */
  digest: string;
  /**
   * The site view and per-report messages, in the check index's text form
   * (indexedText): as text, or (read back from the index) as that text's
   * UTF-16 bytes, read from the cache and decoded only when the view is read
   * (indexedTextOf). Held as text from reading to checking, the records of
   * 10,000 reports were tens of MB of strings that each garbage collection
   * copied.
   */
  text: string | StoredText;
  /** Whether the report combines others (the rule across reports reads those whole). */
  combined: boolean;
  /** listedKeyOf the site view: what the site's lists show of the report besides its findings. */
  listed: string;
}

/** A view's text as the index keeps it: its UTF-16 bytes, read from the shard's texts when first asked for. */
export type StoredText = () => Uint8Array;

interface IndexRecord extends IndexedReading {
  /** The file's identity when it was read, '' when it had not settled then. */
  identity: string;
}

/** The head of a record as stored: identity, key, digest and listed key lines in Latin-1, then whether it combines. */
function headOf(record: IndexRecord): string {
  return `${record.identity}\n${record.key}\n${record.digest}\n${record.listed}\n${record.combined ? 1 : 0}`;
}

/**
 * Files of one cache entry, each a text (in `encoding`) or bytes, encoded
 * into one buffer: a buffer per record (about 8 KB of text) held until the
 * index is saved stayed in the main thread's allocator (tens of MB at
 * thousands of reports) long after.
 */
function encodeFiles(files: readonly [string, string | Uint8Array][], encoding: 'latin1' | 'utf16le'): CachedFile[] {
  const bytes = Buffer.allocUnsafe(files.reduce((sum, [, file]) => sum + (typeof file === 'string' ? Buffer.byteLength(file, encoding) : file.byteLength), 0));
  let at = 0;
  return files.map(([path, file]) => {
    const start = at;
    if (typeof file === 'string') at += bytes.write(file, at, encoding);
    else {
      bytes.set(file, at);
      at += file.byteLength;
    }
    return { path, content: bytes.subarray(start, at) };
  });
}

/** A reading's text (IndexedReading.text) as text; WholeReadingLost when the index's texts no longer hold it (see SiteIndex.textOf). */
export function indexedTextOf(reading: IndexedReading): string {
  const { text } = reading;
  if (typeof text === 'string') return text;
  const bytes = text();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf16le');
}

function decode(content: Uint8Array, text: StoredText): IndexRecord | null {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const first = bytes.indexOf(0x0a);
  const second = first < 0 ? -1 : bytes.indexOf(0x0a, first + 1);
  const third = second < 0 ? -1 : bytes.indexOf(0x0a, second + 1);
  const fourth = third < 0 ? -1 : bytes.indexOf(0x0a, third + 1);
  if (fourth < 0 || bytes.length !== fourth + 2) return null;
  return {
    identity: bytes.toString('latin1', 0, first),
    key: bytes.toString('latin1', first + 1, second),
    digest: bytes.toString('latin1', second + 1, third),
    listed: bytes.toString('latin1', third + 1, fourth),
    combined: bytes[fourth + 1] === 0x31,
    text,
  };
}

/** A shard's token: what its heads and its texts were written with. */
const TOKEN_PATH = '';

/**
 * A reading the cache no longer holds (removed or damaged since the site
 * index recorded it: a whole reading, or a view's text), asked for where it
 * cannot be read again at once: the build starts over, reading every file
 * afresh.
 */
export class WholeReadingLost extends Error {}

interface Shard {
  /** The records to keep by path: as stored (the head's bytes), or as recorded by this build. */
  records: Map<string, Uint8Array | IndexRecord>;
  /** Whether the shard differs from what is stored. */
  changed: boolean;
  /** The token the stored heads were written with; null when none were read. */
  token: string | null;
  /** The stored texts by path, once read (null when they could not be, or are not of the heads' writing). */
  texts?: Map<string, Uint8Array> | null;
}

export class SiteIndex {
  private readonly name: string;
  /** Identities of the settled files, taken before any of them is read: a change after that shows next time. */
  private readonly identities = new Map<string, string>();
  private readonly shards: Shard[] = Array.from({ length: SHARDS }, () => ({ records: new Map(), changed: false, token: null }));

  private constructor(
    private readonly cache: BuildCache | null,
    name: string,
  ) {
    this.name = sha256('site-index', name);
  }

  /**
   * The index of the content given as `name` (the folder as given and
   * resolved), over `files`, its report files as listed. Its shards' heads
   * are read and checked in the thread pool while the files are identified
   * here.
   */
  static async open(cache: BuildCache | null, name: string, files: readonly string[]): Promise<SiteIndex> {
    const index = new SiteIndex(cache, name);
    // A shard none of the files falls in is neither read nor written: its records are dropped when it is next read.
    const wanted = new Set(files.map(shardOf));
    const reads = [...wanted].map((shard) => [shard, cache?.getFilesAsync(INDEX_KIND, shardKey(index.name, shard)) ?? null] as const);
    const startedAt = Date.now();
    for (const path of files) {
      const identity = settledIdentity(path, startedAt);
      if (identity !== null) index.identities.set(path, identity);
    }
    const listed = new Set(files);
    for (const [shard, read] of reads) {
      const kept = index.shards[shard] as Shard;
      const [token, ...stored] = (await read) ?? [];
      if (token?.path === TOKEN_PATH) {
        kept.token = Buffer.from(token.content).toString('latin1');
        for (const { path, content } of stored) if (listed.has(path)) kept.records.set(path, content);
      }
      // Records of files no longer listed are dropped.
      if (kept.records.size !== stored.length) kept.changed = true;
    }
    return index;
  }

  private stored(path: string): IndexRecord | null {
    const shard = shardOf(path);
    const record = this.shards[shard]?.records.get(path);
    return record instanceof Uint8Array ? decode(record, () => this.textOf(shard, path)) : (record ?? null);
  }

  /** The stored text of `path`, its shard's texts read when one is first asked for; WholeReadingLost when they do not hold it. */
  private textOf(shard: number, path: string): Uint8Array {
    const kept = this.shards[shard] as Shard;
    if (kept.texts === undefined) {
      const [token, ...texts] = this.cache?.getFiles(TEXT_KIND, shardKey(this.name, shard)) ?? [];
      const ofHeads = token?.path === TOKEN_PATH && kept.token !== null && Buffer.from(token.content).toString('latin1') === kept.token;
      kept.texts = ofHeads ? new Map(texts.map((file) => [file.path, file.content])) : null;
    }
    const text = kept.texts?.get(path);
    if (!text) throw new WholeReadingLost(path);
    return text;
  }

  /** Whether the index holds a record of `path` (whatever its identity). */
  has(path: string): boolean {
    return this.shards[shardOf(path)]?.records.has(path) ?? false;
  }

  /** The reading of `path` when the file stats as it did when it was read. */
  known(path: string): IndexedReading | null {
    const identity = this.identities.get(path);
    if (identity === undefined) return null;
    const record = this.stored(path);
    return record && record.identity === identity ? record : null;
  }

  /** The reading of `path` when its bytes are those it was read from (`key`: BuildCache.reportKey of them); kept under the file's identity now. */
  sameBytes(path: string, key: string): IndexedReading | null {
    const record = this.stored(path);
    if (!record || record.key !== key) return null;
    if (record.identity !== (this.identities.get(path) ?? '')) this.record(path, record);
    return record;
  }

  /** Remembers the reading of a file read afresh. */
  record(path: string, reading: IndexedReading): void {
    const shard = this.shards[shardOf(path)] as Shard;
    // Held as it is (its text is the reading's), encoded when saved.
    shard.records.set(path, {
      key: reading.key,
      digest: reading.digest,
      text: reading.text,
      combined: reading.combined,
      listed: reading.listed,
      identity: this.identities.get(path) ?? '',
    });
    shard.changed = true;
  }

  /**
   * Writes the shards that no longer match the files read: the texts, then
   * the heads naming them. A record whose stored text is lost is left out
   * (its file is read afresh next time).
   */
  save(): void {
    if (!this.cache) return;
    for (const [n, kept] of this.shards.entries()) {
      if (!kept.changed) continue;
      const heads: [string, string | Uint8Array][] = [];
      const texts: [string, string | Uint8Array][] = [];
      for (const [path, record] of kept.records) {
        const text = record instanceof Uint8Array ? () => this.textOf(n, path) : record.text;
        let bytes: string | Uint8Array;
        try {
          bytes = typeof text === 'string' ? text : text();
        } catch (error) {
          if (error instanceof WholeReadingLost) continue;
          throw error;
        }
        heads.push([path, record instanceof Uint8Array ? record : headOf(record)]);
        texts.push([path, bytes]);
      }
      const token = randomUUID();
      const key = shardKey(this.name, n);
      // The texts in UTF-16: mostly Chinese, they read back fastest so.
      this.cache.putFiles(TEXT_KIND, key, [{ path: TOKEN_PATH, content: Buffer.from(token, 'latin1') }, ...encodeFiles(texts, 'utf16le')]);
      this.cache.putFiles(INDEX_KIND, key, encodeFiles([[TOKEN_PATH, token], ...heads], 'latin1'));
    }
  }
}

/** A whole reading's site view in the index's text form, whether the report combines others, and its listed key. */
export function indexedView(entry: ReportEntry): Pick<IndexedReading, 'text' | 'combined' | 'listed'> & { text: string } {
  const view = siteView(entry.report);
  return { text: indexedText({ report: view, messages: entry.messages }), combined: (entry.report.meta.combines?.length ?? 0) > 0, listed: listedKeyOf(view) };
}
