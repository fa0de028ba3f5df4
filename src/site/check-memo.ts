/**
 * The check memo: of every report file of a content folder, what the last
 * build's check found in it (its findings, all reports checked together)
 * and what the site's lists read of it (listViewOf), under the key of its
 * reading (readings.ts readingKeyOf) and the key of what repeated-text reads
 * of it (problemsKeyOf).
 *
 * A rebuild after some reports changed checks again only the bodies they
 * belong to: the rules across reports compare a body's reports with each
 * other (CollectionRule.withinBody: carry-over, year-jump, stock-flow),
 * except repeated-text, which compares section 五 across the bodies of a
 * year, and aggregate, which reads the reports a combined one sums. So the
 * memo serves only while no report combines others, the same files are
 * listed in the same order, and every changed report's problemsKeyOf is as
 * it was: then every input of repeated-text is, and its findings are taken
 * from the memo. The other reports' site views are never parsed: the
 * lists read them from here, and their findings' summaries; the findings
 * themselves are parsed only for the pages that show them.
 */
import { randomUUID } from 'node:crypto';
import { shardKey, shardOf } from '../content/file-identity.js';
import { bodyKey, reportYear } from '../rules/bodies.js';
import { totalColumnIndex } from '../rules/cells.js';
import { repeatedText } from '../rules/repeated-text.js';
import { summaryOf, type FindingsSummary } from '../rules/finding-counts.js';
import { findingsByFile, inFileOrder, inPageOrder } from '../rules/finding-order.js';
import { checkReports } from '../rules/run.js';
import type { Finding } from '../rules/types.js';
import { refParts, type Cell, type Message, type Report, type Tables } from '../template/model.js';
import { sha256, type BuildCache, type CachedFile } from './cache.js';
import { findingsHashOf } from './hash.js';
import { settleListedViews } from './listed-views.js';
import { viewOf, type Reading } from './readings.js';
import { keyFigureDefs } from './view/key-figures.js';
import type { SummarisedFindings } from './view/site.js';

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

/** Rows of the memo (a row per file, in their order) and the shapes of table 三 they name. */
export interface MemoRows {
  rows: CachedFile[];
  shapes: Shapes;
}

/** The memo as read: its rows and shapes, and the version of each shard. */
export interface StoredMemo extends MemoRows {
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
  const shapes: Shapes = new Map(JSON.parse(textOf(head[2]) ?? '[]') as [string, Shape | null][]);
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
  return { rows: inOrder, tokens, shapes };
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

/** The cells keyFigureDefs read, their references split once (listViewOf reads them of every report). */
const keyFigureCells = keyFigureDefs.flatMap((def) => def.cells.map(refParts)).filter((parts) => parts !== undefined);

/** The cells of keyFigureDefs in one of tables 二 and 四 (the lists read no other). */
function keyCells<T extends Record<string, Record<string, Cell>>>(table: T, name: 'active' | 'review'): T {
  const kept: Record<string, Record<string, Cell>> = {};
  for (const { table: tableName, row, column } of keyFigureCells) {
    const cell = tableName === name ? table[row]?.[column] : undefined;
    if (cell) (kept[row] ??= {})[column] = placeless(cell) as Cell;
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

/** A stored cell that is no number, as a key of the cells alike. */
function cellKey(stored: Exclude<StoredCell, number | null>): string {
  return JSON.stringify(stored);
}

/**
 * The cells and table 三 rows of the list views read from the memo, each
 * frozen and shared by all alike, as settleListedViews shares a site view's
 * (nothing changes them): 10,000 reports' ~250,000 rows are a few thousand.
 */
class SharedCells {
  private readonly cells = new Map<number | string, Cell>();
  /** By length, then by total (its figure, or the key of another cell; '' for none). */
  private readonly rows = new Map<number, Map<number | string, Cell[]>>();
  /** Each shape's empty table 三 (emptyTable). */
  private readonly empties = new Map<Shape, NonNullable<Tables['requests']>>();

  cell(stored: StoredCell): Cell | null {
    if (stored === null) return null;
    const key = typeof stored === 'number' ? stored : cellKey(stored);
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = Object.freeze(cellOf(stored) as Cell)));
    return cell;
  }

  /** A row of `length` cells, all null but the total. */
  row(length: number, total: StoredCell): Cell[] {
    let ofLength = this.rows.get(length);
    if (!ofLength) this.rows.set(length, (ofLength = new Map()));
    const key = total === null ? '' : typeof total === 'number' ? total : cellKey(total);
    let row = ofLength.get(key);
    if (!row) {
      const cells = new Array<Cell | null>(length).fill(null);
      if (length > totalColumnIndex) cells[totalColumnIndex] = this.cell(total);
      // Frozen, as typed mutable: the model's rows are (Object.freeze's type for an array is a readonly array).
      ofLength.set(key, (row = Object.freeze(cells) as Cell[]));
    }
    return row;
  }

  /**
   * A table 三 of `shape`'s rows, each null, to be filled in: a copy of one
   * parsed from JSON, whose properties V8 keeps in fast mode. One built key
   * by key turns into a dictionary after a dozen keys: at 10,000 reports
   * their tables 三 were ~15 MB of the heap a rebuild holds.
   */
  emptyTable(shape: Shape): NonNullable<Tables['requests']> {
    let empty = this.empties.get(shape);
    if (!empty) this.empties.set(shape, (empty = JSON.parse(JSON.stringify(Object.fromEntries(shape.map(([key]) => [key, null])))) as NonNullable<Tables['requests']>));
    return { ...empty };
  }

  /** A table of cells as stored, its cells made shared in place (it is the memo's, just parsed). */
  table(stored: Record<string, Record<string, StoredCell>> | null): Record<string, Record<string, Cell>> | null {
    if (!stored) return null;
    for (const key in stored) {
      const row = stored[key] as Record<string, StoredCell | Cell>;
      for (const column in row) row[column] = this.cell(row[column] as StoredCell) as Cell;
    }
    return stored as Record<string, Record<string, Cell>>;
  }
}

/**
 * Table 三 of a list view as stored: its rows' keys and lengths (its shape,
 * the same in most reports: kept once, in the memo's head, by its hash) and
 * each row's total (the other cells are null).
 */
type Shape = [string, number][];

/** Shapes of table 三 by their hash (shapeIdOf). */
type Shapes = Map<string, Shape | null>;

function shapeIdOf(shape: Shape | null): string {
  return sha256('shape', JSON.stringify(shape));
}

function shapeOf(requests: Tables['requests']): Shape | null {
  return requests && Object.entries(requests).map(([key, row]) => [key, row.length]);
}

function totalsOf(requests: Tables['requests']): StoredCell[] | null {
  return requests && Object.values(requests).map((row) => storedCell(row[totalColumnIndex] ?? null));
}

/** A finding with its keys in the order checkReports gives them (what the site's keys hash), whatever object it was. */
function ordered({ ruleId, severity, message, line, column, file, fingerprint, cells, accepted }: Finding): Finding {
  const finding: Finding = { ruleId, severity, message, line, column, file, fingerprint };
  if (cells !== undefined) finding.cells = cells;
  if (accepted !== undefined) finding.accepted = accepted;
  return finding;
}

/** A list view as stored: but its tables, which follow it (tables 二 and 四 with their cells by number where they can be). */
type StoredRest = [
  body: string,
  findingsHash: string,
  summary: FindingsSummary,
  view: Omit<Report, 'tables'> & { tables?: Tables },
  totals: StoredCell[] | null,
  review: Record<string, Record<string, StoredCell>> | null,
  active: Record<string, Record<string, StoredCell>> | null,
];

function storedTable(table: Record<string, Record<string, Cell>> | null): Record<string, Record<string, StoredCell>> | null {
  return table && Object.fromEntries(Object.entries(table).map(([key, row]) => [key, Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, storedCell(cell)]))]));
}

/** Where a row's lines end: its reading key, problems key and shape id (each a sha256 in hex). */
const READING_KEY_END = 64;
const PROBLEMS_KEY_END = 129;
const SHAPE_ID_END = 194;

/**
 * A row as stored: the reading key, problems key and shape id lines; a line
 * of JSON: its body, its findings' findingsHashOf (the site's keys take it)
 * and summary (what the lists show of them), its list view but the tables,
 * and the tables as stored; then its findings as found, as JSON (parsed,
 * they are the findings). Views are parsed into what the build takes with
 * little left to make; findings, most of the bytes, only for the pages that
 * show them. The shape is added to `shapes`.
 */
function encodeRow(readingKey: string, problemsKey: string, body: string, findings: readonly Finding[], listed: Report, shapes: Shapes): Uint8Array {
  const { tables, ...view } = listed;
  const shape = shapeOf(tables.requests);
  const shapeId = shapeIdOf(shape);
  shapes.set(shapeId, shape);
  const found = findings.map(ordered);
  const rest: StoredRest = [body, findingsHashOf(inPageOrder(found)), summaryOf(found), view, totalsOf(tables.requests), storedTable(tables.review), storedTable(tables.active)];
  // JSON holds no line break: the first one after the keys ends the rest.
  return Buffer.from(`${readingKey}\n${problemsKey}\n${shapeId}\n${JSON.stringify(rest)}\n${JSON.stringify(found)}`);
}

interface StoredRow {
  readingKey: string;
  problemsKey: string;
  bytes: Buffer;
}

function headOf(content: Uint8Array): StoredRow | null {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (bytes.length <= SHAPE_ID_END || bytes[READING_KEY_END] !== 0x0a || bytes[PROBLEMS_KEY_END] !== 0x0a || bytes[SHAPE_ID_END] !== 0x0a) return null;
  return { readingKey: bytes.toString('latin1', 0, READING_KEY_END), problemsKey: bytes.toString('latin1', READING_KEY_END + 1, PROBLEMS_KEY_END), bytes };
}

function shapeIdIn(row: Uint8Array): string {
  return Buffer.from(row.buffer, row.byteOffset, row.byteLength).toString('latin1', PROBLEMS_KEY_END + 1, SHAPE_ID_END);
}

/** A row as read: its body, findings (summarised), their hash and list view. */
type ReadRow = [body: string, findings: SummarisedFindings, findingsHash: string, listed: Report];

/**
 * Findings as the memo stores them (a row's last line, from `start`),
 * parsed when first asked for. The row's bytes are held meanwhile, and with
 * them the memo's shards as read (~19 MB at 10,000 reports): each row's
 * findings copied out cost more, in garbage collection, than they saved.
 */
function storedFindings(summary: FindingsSummary, row: Buffer, start: number): SummarisedFindings {
  let list: Finding[] | null = null;
  return { summary, list: () => (list ??= JSON.parse(row.toString('utf8', start)) as Finding[]) };
}

/** The row's body, findings, their hash and list view; null when the memo lacks its shape, or its table 三 is not of it. */
function restOf(row: StoredRow, shared: SharedCells, shapes: Shapes): ReadRow | null {
  const { bytes } = row;
  const shape = shapes.get(shapeIdIn(bytes));
  const restEnd = bytes.indexOf(0x0a, SHAPE_ID_END + 1);
  if (shape === undefined || restEnd < 0) return null;
  // Decoded row by row: the rows of a shard decoded together held tens of MB more at once, for no less time.
  const [body, findingsHash, summary, view, totals, review, active] = JSON.parse(bytes.toString('utf8', SHAPE_ID_END + 1, restEnd)) as StoredRest;
  let requests: Tables['requests'] = null;
  if (shape) {
    if (totals?.length !== shape.length) return null;
    requests = shared.emptyTable(shape);
    for (let k = 0; k < shape.length; k++) {
      const [key, length] = shape[k] as [string, number];
      requests[key] = shared.row(length, totals[k] as StoredCell);
    }
  }
  // Assigned last: the tables follow the view's other keys, as the memo's list views always had them.
  view.tables = { requests, review: shared.table(review), active: shared.table(active) };
  return [body, storedFindings(summary, bytes, restEnd + 1), findingsHash, view as Report];
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
export function memoRows(readings: readonly Reading[], readingKeys: readonly string[], views: readonly Report[], findings: readonly Finding[]): MemoRows | null {
  if (!memoable(readings) || views.some((view, i) => view.file !== (readings[i] as Reading).task.file)) return null;
  const found = findingsByFile(findings);
  const shapes: Shapes = new Map();
  const rows = views.map((view, i) => ({
    path: view.file,
    content: encodeRow(readingKeys[i] as string, problemsKeyOf(view), bodyKey(view), found.get(view.file) ?? [], listViewOf(view), shapes),
  }));
  return { rows, shapes };
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
  /** findingsHashOf of the others' findings, as the memo keeps it (the site works out those of the reports checked again). */
  findingsHashes: Map<Report, string>;
  /** The findings of the reports checked again, as a check of them all gives them. */
  findings: Finding[];
  /** The others' findings as the memo keeps them: summarised, parsed when a page shows them. */
  summarised: Map<Report, SummarisedFindings>;
  /** Every report's findings, as a check of them all gives them (the memo's parsed on first call). */
  allFindings: () => Finding[];
  /** The memo's rows for this build. */
  rows: MemoRows;
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
  const { shapes } = memo as StoredMemo;
  const rests: ReadRow[] = [];
  for (const row of rows) {
    const rest = restOf(row, shared, shapes);
    if (!rest) return null;
    rests.push(rest);
  }
  const touched = new Set(changed.map((i) => (rests[i] as ReadRow)[0]));
  const again = rests.flatMap(([body], i) => (touched.has(body) ? [i] : []));
  const perReport = new Map<string, Message[]>();
  const views: Report[] = [];
  const givenAcross = new Map<string, Message[]>();
  for (const i of again) {
    const entry = entries.get(i) ?? viewOf(readings[i] as Reading);
    entries.set(i, entry);
    views.push(entry.report);
    perReport.set(entry.report.file, entry.messages);
    givenAcross.set(entry.report.file, acrossBodies((rests[i] as ReadRow)[1].list()));
  }
  const checked = checkReports(views, perReport, undefined, new Map([[repeatedText.id, givenAcross]]));
  const found = findingsByFile(checked);
  const newRows = stored.map((file, i) => {
    const entry = entries.get(i);
    if (!entry) return file;
    const row = rows[i] as StoredRow;
    return { path: file.path, content: encodeRow(readingKeys[i] as string, row.problemsKey, bodyKey(entry.report), found.get(entry.report.file) ?? [], listViewOf(entry.report), shapes) };
  });
  settleListedViews(views);
  const reports = rests.map(([, , , listed], i) => entries.get(i)?.report ?? listed);
  const lists = readings.map((_, i): (() => Finding[]) => {
    const entry = entries.get(i);
    return entry ? () => found.get(entry.report.file) ?? [] : (rests[i] as ReadRow)[1].list;
  });
  return {
    reports,
    findingsHashes: new Map(rests.flatMap(([, , findingsHash], i) => (entries.has(i) ? [] : [[reports[i] as Report, findingsHash]]))),
    findings: checked,
    summarised: new Map(rests.flatMap(([, findings], i) => (entries.has(i) ? [] : [[reports[i] as Report, findings]]))),
    allFindings: allFindings(
      readings.map((reading) => reading.task.file),
      lists,
    ),
    rows: { rows: newRows, shapes },
    kept: { changed: new Set(entries.keys()), tokens: (memo as StoredMemo).tokens },
    views: allViews(readings, entries),
  };
}

/**
 * Every report's findings in file order, made on first call from each
 * report's (`lists`, by place in `files`). Made apart from recheck, as
 * allViews is.
 */
function allFindings(files: readonly string[], lists: readonly (() => Finding[])[]): () => Finding[] {
  let all: Finding[] | null = null;
  // Copies: inFileOrder sorts each list in place.
  return () =>
    (all ??= inFileOrder(
      files,
      lists.map((list) => [...list()]),
    ));
}

/**
 * The site views of every reading, settled, as a full check leaves them:
 * made on first call. Made here, not in recheck: a closure there would hold
 * every variable recheck's closures share, the rows read among them, for as
 * long as the build holds it.
 */
function allViews(readings: readonly Reading[], entries: ReadonlyMap<number, ReturnType<typeof viewOf>>): () => Report[] {
  let all: Report[] | null = null;
  return () => {
    if (!all) {
      const others = readings.flatMap((reading, i) => (entries.has(i) ? [] : [[i, viewOf(reading).report] as const]));
      settleListedViews(others.map(([, view]) => view));
      const byIndex = new Map(others);
      all = readings.map((_, i) => entries.get(i)?.report ?? (byIndex.get(i) as Report));
    }
    return all;
  };
}

/**
 * Keeps the memo's rows (a row per file, in the order listed) for the next
 * build: the shards holding `changed` rows, the others being those of
 * `tokens` (as read), or all; then the head naming them and the shapes they
 * name (those only: a shape no report has any more is dropped).
 */
export function saveMemo(cache: BuildCache, key: string, { rows, shapes }: MemoRows, kept?: { changed: ReadonlySet<number>; tokens: ReadonlyMap<number, string> }): void {
  const named = new Map<string, Shape | null>();
  for (const row of rows) {
    const id = shapeIdIn(row.content);
    const shape = shapes.get(id);
    // Never the case (every row read was of a shape read, every row made adds its own): were it, no memo is better than one that is no memo.
    if (shape === undefined) return;
    named.set(id, shape);
  }
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
  const head = [Buffer.from(listHashOf(rows.map((row) => row.path))), Buffer.from(JSON.stringify([...tokens])), Buffer.from(JSON.stringify([...named]))];
  cache.putFiles(MEMO_KIND, `${key}${HEAD_SHARD}`, head.map((content, i) => ({ path: String(i), content })));
}
