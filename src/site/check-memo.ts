/**
 * The check memo: of every report file of a content folder, what the last
 * build's check found in it (its findings, all reports checked together)
 * and what the site's lists read of it (listViewOf), under the key of its
 * reading (readings.ts readingKeyOf) and the key of what repeated-text reads
 * of it (problemsKeyOf).
 *
 * A rebuild after some reports changed checks again only the bodies they
 * belong to: the rules across reports compare a body's reports with each
 * other (carry-over, year-jump, stock-flow), except repeated-text, which
 * compares section 五 across the bodies of a year, and aggregate, which
 * reads the reports a combined one sums. So the memo serves only while no
 * report combines others, the same files are listed in the same order, and
 * every changed report's problemsKeyOf is as it was: then every input of
 * repeated-text is, and its findings are taken from the memo. The other
 * reports' site views are never parsed: the lists read them from here.
 */
import { randomUUID } from 'node:crypto';
import { shardKey, shardOf } from '../content/file-identity.js';
import { bodyKey, reportYear } from '../rules/bodies.js';
import { totalColumnIndex } from '../rules/cells.js';
import { repeatedText } from '../rules/repeated-text.js';
import { findingsByFile, inFileOrder } from '../rules/finding-order.js';
import { checkReports } from '../rules/run.js';
import type { Finding } from '../rules/types.js';
import { refParts, type Cell, type Message, type Report, type Tables } from '../template/model.js';
import { sha256, type BuildCache, type CachedFile } from './cache.js';
import { settleListedViews } from './listed-views.js';
import { viewOf, type Reading } from './readings.js';
import { keyFigureDefs } from './view/key-figures.js';

const MEMO_KIND = 'check-memo';

/** The cache key of the memo of the content given as `name` (the folder as given and resolved, as the site index is named). */
export function memoKey(name: string): string {
  return sha256('check-memo', name);
}

/**
 * The memo is kept in shards by the files' paths (as the site index is), so
 * that a rebuild rewrites only the shards of the reports it checked again,
 * and a head naming the list of files it is of and the version of each shard
 * (a token written first in the shard): rows of one build's check only are
 * read together. A row's findings depend on other rows (its body's, and
 * every body's section 五), so shards written by builds of the same content
 * at the same time must never be mixed: a head and shards that do not agree
 * are no memo.
 */
const HEAD_SHARD = 'head';

function listHashOf(files: readonly string[]): string {
  return sha256('files', ...files);
}

/** The memo as read: a row per file, in their order, and the version of each shard. */
export interface StoredMemo {
  rows: CachedFile[];
  tokens: Map<number, string>;
}

function textOf(file: CachedFile | undefined): string | null {
  return file ? Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength).toString('utf8') : null;
}

/** The memo of the content, if it is of these files (in this order), else null. */
export async function readMemo(cache: BuildCache, key: string, files: readonly string[]): Promise<StoredMemo | null> {
  const wanted = [...new Set(files.map(shardOf))];
  const [head, ...shards] = await Promise.all([cache.getFilesAsync(MEMO_KIND, `${key}${HEAD_SHARD}`), ...wanted.map((shard) => cache.getFilesAsync(MEMO_KIND, shardKey(key, shard)))]);
  if (!head || textOf(head[0]) !== listHashOf(files)) return null;
  const tokens = new Map(JSON.parse(textOf(head[1]) ?? '[]') as [number, string][]);
  const rows = new Map<string, Uint8Array>();
  for (const [i, shard] of shards.entries()) {
    const [token, ...shardRows] = shard ?? [];
    if (!token || textOf(token) !== tokens.get(wanted[i] as number)) return null;
    for (const row of shardRows) rows.set(row.path, row.content);
  }
  const inOrder: CachedFile[] = [];
  for (const path of files) {
    const content = rows.get(path);
    if (!content) return null;
    inOrder.push({ path, content });
  }
  return { rows: inOrder, tokens };
}

/**
 * What repeated-text reads of a report: its file, body, year and agency
 * (named in other reports' findings) and its section 五 with its position.
 */
export function problemsKeyOf(view: Report): string {
  const problems = view.sections.find((section) => section.id === 'problems') ?? null;
  return sha256('problems', view.file, bodyKey(view), String(reportYear(view)), view.meta.agency ?? '', JSON.stringify(problems));
}

function placeless(cell: Cell | null | undefined): Cell | null {
  return cell ? { ...cell, position: null } : null;
}

/** The cells of keyFigureDefs in one of tables 二 and 四 (the lists read no other). */
function keyCells<T extends Record<string, Record<string, Cell>>>(table: T, name: 'active' | 'review'): T {
  const kept: Record<string, Record<string, Cell>> = {};
  for (const ref of keyFigureDefs.flatMap((def) => def.cells)) {
    const parts = refParts(ref);
    const cell = parts?.table === name ? table[parts.row]?.[parts.column] : undefined;
    if (parts && cell) (kept[parts.row] ??= {})[parts.column] = placeless(cell) as Cell;
  }
  return kept as T;
}

/**
 * What the site's lists (body, year, rule and home pages, feed, key
 * figures' download) read of a report's site view: its meta and template,
 * table 三's total column and the other key figures' cells, without
 * positions. A list page made from it is the one made from the view.
 */
export function listViewOf(view: Report): Report {
  const { requests, review, active } = view.tables;
  const tables: Tables = {
    requests: requests && Object.fromEntries(Object.entries(requests).map(([key, row]) => [key, row.map((cell, i) => (i === totalColumnIndex ? placeless(cell) : null)) as Cell[]])),
    review: review && keyCells(review, 'review'),
    active: active && keyCells(active, 'active'),
  };
  return { file: view.file, form: view.form, template: view.template, meta: view.meta, sections: [], tables, messages: [], accepted: [] };
}

/** A cell as stored: a number cell as the check index expands one (its text its figure, no candidates) by its figure alone. */
type StoredCell = Cell | number | null;

function storedCell(cell: Cell | null): StoredCell {
  return cell && cell.state === 'number' && typeof cell.value === 'number' && cell.text === String(cell.value) && cell.candidates === undefined ? cell.value : cell;
}

function cellOf(stored: StoredCell): Cell | null {
  return typeof stored === 'number' ? { state: 'number', value: stored, text: String(stored), position: null } : stored;
}

/**
 * The cells and table 三 rows of the list views read from the memo, each
 * frozen and shared by all alike, as settleListedViews shares a site view's
 * (nothing changes them): 10,000 reports' ~250,000 rows are a few thousand.
 */
class SharedCells {
  private readonly cells = new Map<number | string, Cell>();
  private readonly rows = new Map<string, Cell[]>();

  private keyOf(stored: Exclude<StoredCell, null>): number | string {
    return typeof stored === 'number' ? stored : JSON.stringify(stored);
  }

  cell(stored: StoredCell): Cell | null {
    if (stored === null) return null;
    const key = this.keyOf(stored);
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = Object.freeze(cellOf(stored) as Cell)));
    return cell;
  }

  /** A row of `length` cells, all null but the total. */
  row(length: number, total: StoredCell): Cell[] {
    const key = `${length} ${total === null ? 'null' : typeof total === 'number' ? total : this.keyOf(total)}`;
    let row = this.rows.get(key);
    if (!row) {
      const cells = new Array<Cell | null>(length).fill(null);
      if (length > totalColumnIndex) cells[totalColumnIndex] = this.cell(total);
      // Frozen, as typed mutable: the model's rows are (Object.freeze's type for an array is a readonly array).
      this.rows.set(key, (row = Object.freeze(cells) as Cell[]));
    }
    return row;
  }

  table(stored: Record<string, Record<string, StoredCell>> | null): Record<string, Record<string, Cell>> | null {
    return stored && Object.fromEntries(Object.entries(stored).map(([key, row]) => [key, Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, this.cell(cell) as Cell]))]));
  }
}

/** A list view as stored: table 三 as each row's length and total (the rest is null), the other tables' cells by number where they can be. */
interface StoredView {
  view: Omit<Report, 'tables'>;
  requests: Record<string, [number, StoredCell]> | null;
  review: Record<string, Record<string, StoredCell>> | null;
  active: Record<string, Record<string, StoredCell>> | null;
}

function storedTable(table: Record<string, Record<string, Cell>> | null): Record<string, Record<string, StoredCell>> | null {
  return table && Object.fromEntries(Object.entries(table).map(([key, row]) => [key, Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, storedCell(cell)]))]));
}

function storedView(listed: Report): StoredView {
  const { tables, ...view } = listed;
  return {
    view,
    requests: tables.requests && Object.fromEntries(Object.entries(tables.requests).map(([key, row]) => [key, [row.length, storedCell(row[totalColumnIndex] ?? null)]])),
    review: storedTable(tables.review),
    active: storedTable(tables.active),
  };
}

function viewOfStored(stored: StoredView, shared: SharedCells): Report {
  const requests = stored.requests && Object.fromEntries(Object.entries(stored.requests).map(([key, [length, total]]) => [key, shared.row(length, total)]));
  return { ...stored.view, tables: { requests, review: shared.table(stored.review), active: shared.table(stored.active) } };
}

/** A finding as stored: its fields in order, but its file (the row's). */
type StoredFinding = [Finding['ruleId'], Finding['severity'], string, number, number, string, string[] | null, string | null];

function storedFinding(f: Finding): StoredFinding {
  return [f.ruleId, f.severity, f.message, f.line, f.column, f.fingerprint, f.cells ?? null, f.accepted ?? null];
}

/** The finding, its keys in the order checkReports gives them (what the site's keys hash). */
function findingOf([ruleId, severity, message, line, column, fingerprint, cells, accepted]: StoredFinding, file: string): Finding {
  const finding: Finding = { ruleId, severity, message, line, column, file, fingerprint };
  if (cells !== null) finding.cells = cells;
  if (accepted !== null) finding.accepted = accepted;
  return finding;
}

/** A row as stored: the reading key and problems key lines, then its body, findings and list view as JSON. */
function encodeRow(readingKey: string, problemsKey: string, body: string, findings: readonly Finding[], listed: Report): Uint8Array {
  return Buffer.from(`${readingKey}\n${problemsKey}\n${JSON.stringify([body, findings.map(storedFinding), storedView(listed)])}`);
}

interface StoredRow {
  readingKey: string;
  problemsKey: string;
  bytes: Buffer;
}

function headOf(content: Uint8Array): StoredRow | null {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (bytes.length < 130 || bytes[64] !== 0x0a || bytes[129] !== 0x0a) return null;
  return { readingKey: bytes.toString('latin1', 0, 64), problemsKey: bytes.toString('latin1', 65, 129), bytes };
}

function restOf(row: StoredRow, file: string, shared: SharedCells): [string, Finding[], Report] {
  const [body, findings, view] = JSON.parse(row.bytes.toString('utf8', 130)) as [string, StoredFinding[], StoredView];
  return [body, findings.map((f) => findingOf(f, file)), viewOfStored(view, shared)];
}

/** Whether two readings name the same file (the findings are gathered by file). */
function sharesAFile(readings: readonly Reading[]): boolean {
  return new Set(readings.map((reading) => reading.task.file)).size !== readings.length;
}

/** Whether the memo may hold these readings at all (see the module's comment). */
function memoable(readings: readonly Reading[]): boolean {
  return !readings.some((reading) => reading.combined) && !sharesAFile(readings);
}

/**
 * The memo's rows of a full check: `views` are the readings' site views as
 * checked (sections still in), `findings` what the check found. Null when
 * the memo may not hold these readings.
 */
export function memoRows(readings: readonly Reading[], readingKeys: readonly string[], views: readonly Report[], findings: readonly Finding[]): CachedFile[] | null {
  if (!memoable(readings) || views.some((view, i) => view.file !== (readings[i] as Reading).task.file)) return null;
  const found = findingsByFile(findings);
  return views.map((view, i) => ({
    path: view.file,
    content: encodeRow(readingKeys[i] as string, problemsKeyOf(view), bodyKey(view), found.get(view.file) ?? [], listViewOf(view)),
  }));
}

/** repeated-text's messages in a report's findings, as the rule made them. */
function acrossBodies(findings: readonly Finding[]): Message[] {
  return findings
    .filter((f) => f.ruleId === repeatedText.id)
    .map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, line: f.line, column: f.column, ...(f.cells !== undefined && { cells: f.cells }) }));
}

export interface Rechecked {
  /** For the site: the site views of the reports checked again (settled), the others' list views; in the readings' order. */
  reports: Report[];
  /** Every report's findings, as a check of them all gives them. */
  findings: Finding[];
  /** The memo's rows for this build. */
  rows: CachedFile[];
  /** Which of them changed, and the version of each shard as read. */
  kept: { changed: Set<number>; tokens: Map<number, string> };
  /** The site views of every reading, settled, as a full check leaves them (parsed on first call). */
  views: () => Report[];
}

/**
 * The readings checked with the memo's help (see the module's comment), or
 * null when the memo cannot serve them (they must all be checked).
 */
export function recheck(readings: readonly Reading[], readingKeys: readonly string[], memo: StoredMemo | null): Rechecked | null {
  const stored = memo?.rows;
  if (!stored || stored.length !== readings.length || !memoable(readings)) return null;
  const rows: StoredRow[] = [];
  for (const [i, file] of stored.entries()) {
    const row = file.path === (readings[i] as Reading).task.file ? headOf(file.content) : null;
    if (!row) return null;
    rows.push(row);
  }
  const changed = rows.flatMap((row, i) => (row.readingKey === readingKeys[i] ? [] : [i]));
  const entries = new Map<number, ReturnType<typeof viewOf>>();
  for (const i of changed) {
    const entry = viewOf(readings[i] as Reading);
    if (problemsKeyOf(entry.report) !== (rows[i] as StoredRow).problemsKey) return null;
    entries.set(i, entry);
  }
  const shared = new SharedCells();
  const rests = rows.map((row, i) => restOf(row, (stored[i] as CachedFile).path, shared));
  const touched = new Set(changed.map((i) => (rests[i] as [string, Finding[], Report])[0]));
  const again = rests.flatMap(([body], i) => (touched.has(body) ? [i] : []));
  const perReport = new Map<string, Message[]>();
  const views: Report[] = [];
  const givenAcross = new Map<string, Message[]>();
  for (const i of again) {
    const entry = entries.get(i) ?? viewOf(readings[i] as Reading);
    entries.set(i, entry);
    views.push(entry.report);
    perReport.set(entry.report.file, entry.messages);
    givenAcross.set(entry.report.file, acrossBodies((rests[i] as [string, Finding[], Report])[1]));
  }
  const found = findingsByFile(checkReports(views, perReport, undefined, new Map([[repeatedText.id, givenAcross]])));
  const findingsOf = (i: number) => {
    const entry = entries.get(i);
    return entry ? (found.get(entry.report.file) ?? []) : (rests[i] as [string, Finding[], Report])[1];
  };
  const newRows = stored.map((file, i) => {
    const entry = entries.get(i);
    if (!entry) return file;
    const row = rows[i] as StoredRow;
    return { path: file.path, content: encodeRow(readingKeys[i] as string, row.problemsKey, bodyKey(entry.report), findingsOf(i), listViewOf(entry.report)) };
  });
  settleListedViews(views);
  let all: Report[] | null = null;
  return {
    reports: rests.map(([, , listed], i) => entries.get(i)?.report ?? listed),
    findings: inFileOrder(
      readings.map((reading) => reading.task.file),
      readings.map((_, i) => findingsOf(i)),
    ),
    rows: newRows,
    kept: { changed: new Set(entries.keys()), tokens: (memo as StoredMemo).tokens },
    views: () => {
      if (!all) {
        const others = readings.flatMap((reading, i) => (entries.has(i) ? [] : [[i, viewOf(reading).report] as const]));
        settleListedViews(others.map(([, view]) => view));
        const byIndex = new Map(others);
        all = readings.map((_, i) => entries.get(i)?.report ?? (byIndex.get(i) as Report));
      }
      return all;
    },
  };
}

/**
 * Keeps the memo's rows (a row per file, in the order listed) for the next
 * build: the shards holding `changed` rows, the others being those of
 * `tokens` (as read), or all; then the head naming them.
 */
export function saveMemo(cache: BuildCache, key: string, rows: readonly CachedFile[], kept?: { changed: ReadonlySet<number>; tokens: ReadonlyMap<number, string> }): void {
  const toWrite = kept && new Set([...kept.changed].map((i) => shardOf((rows[i] as CachedFile).path)));
  const shards = new Map<number, CachedFile[]>();
  const tokens = new Map<number, string>();
  for (const row of rows) {
    const shard = shardOf(row.path);
    if (toWrite && !toWrite.has(shard)) {
      tokens.set(shard, kept.tokens.get(shard) ?? '');
      continue;
    }
    const files = shards.get(shard);
    if (files) files.push(row);
    else {
      const token = randomUUID();
      tokens.set(shard, token);
      shards.set(shard, [{ path: '', content: Buffer.from(token) }, row]);
    }
  }
  for (const [shard, files] of shards) cache.putFiles(MEMO_KIND, shardKey(key, shard), files);
  const head = [Buffer.from(listHashOf(rows.map((row) => row.path))), Buffer.from(JSON.stringify([...tokens]))];
  cache.putFiles(MEMO_KIND, `${key}${HEAD_SHARD}`, head.map((content, i) => ({ path: String(i), content })));
}
