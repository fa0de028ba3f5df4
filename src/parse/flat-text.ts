/**
 * Crawled page text: a crawler header (标题:, 发布时间:, …, a 正文 banner),
 * sometimes page chrome, then the report with its table cells run together
 * without separators (`一、本年新收政府信息公开申请数量15130000154`). Rows are
 * found by their labels in a whitespace-free view of the text; the digits
 * between one label and the next are split by the table's own relations
 * (digit-split.ts). A cell the relations do not fix is ambiguous, never guessed.
 */
import { unitsToString } from '../read/decode.js';
import type { Source } from '../read/source.js';
import { FULLWIDTH_DIGIT_OFFSET, isAsciiDigitCode, isFullWidthDigitCode, isSpaceCode, skipSpaces, toHalfWidthDigits } from '../template/cell-text.js';
import {
  requestColumns,
  layouts,
  requestsBalanceNote,
  reviewColumns,
  reviewGroups,
  type CellKind,
  type RequestRowDef,
  type TableLayout,
} from '../template/layout.js';
import { labelForms, normalForm, normaliseLabel } from '../template/labels.js';
import { absentCell, type Cell, type Message, type Position, type Tables } from '../template/model.js';
import type { Adapter, Reading } from './adapter.js';
import { narrowByRelations, readRun, type CellGroup, type ColumnRelation, type Piece, type Segment } from './digit-split.js';
import { headerLines, titleLine, type PartialMeta } from './meta.js';
import { findSections, type SectionSpan } from './sections.js';
import { missingSectionMessages, proseToMarkdown, sectionsWithMarkdown } from './text-sections.js';

/** Readings listed per run at most; beyond that the run is reported as unread. */
const READING_LIMIT = 2000;

// ---------------------------------------------------------------- page parts

const BANNER = /^=+\s*正文\s*=+[ \t]*$/m;
const CRAWLER_FIELD = /^(?:标题|发布时间|发布机构|栏目|原文链接|本地目录|文号)\s*[:：]/gm;
const CHROME_HEAD = /^\s*当前位置\s*[:：][^]{0,400}?(?:相关链接\s*[:：]\s*(?:-->)?|文件下载)/;
const CHROME_TAIL = '附件下载';

/** Where the report's own text lies: after the crawler header and page chrome, before trailing chrome. */
function bodyRange(text: string): { headerEnd: number; start: number; end: number } {
  const banner = BANNER.exec(text);
  const headerEnd = banner ? banner.index : 0;
  let start = banner ? banner.index + banner[0].length : 0;
  const chrome = CHROME_HEAD.exec(text.slice(start));
  if (chrome) start += chrome[0].length;
  let end = text.trimEnd().length;
  if (text.slice(0, end).endsWith(CHROME_TAIL) && end - CHROME_TAIL.length >= start) end -= CHROME_TAIL.length;
  return { headerEnd, start, end };
}

// ---------------------------------------------------------------- label search

/** A whitespace-free, label-normalised view of part of the text, with each character's source offset. */
interface Compact {
  text: string;
  /** offsets[i]: source offset of text[i]; one extra entry for the end. Valid until the next view is made. */
  offsets: Int32Array;
}

/**
 * What each code unit becomes in the view: -1 left out (spaces, quotes), else a code — brackets and stops made
 * full-width, full-width digits, signs and points (０-９＋－．) read as ASCII, the rest as they are. A table, since
 * the view is made of every character of the table sections: one lookup each instead of branches and a set's lookup.
 */
const VIEW_CODES = new Int32Array(0x10000);
for (let code = 0; code < 0x10000; code++) VIEW_CODES[code] = isFullWidthDigitCode(code) ? code - FULLWIDTH_DIGIT_OFFSET : code;
for (const ch of ' \t\n\r\f\v"\'\u00a0\u3000\u200b\ufeff“”‘’「」') VIEW_CODES[ch.charCodeAt(0)] = -1;
for (const [from, to] of [['(', '（'], [')', '）'], [':', '：'], [',', '，'], [';', '；']] as const) VIEW_CODES[from.charCodeAt(0)] = to.charCodeAt(0);
const ENUMERATION_COMMA = '、'.charCodeAt(0);

/** The view's code units as they are made, reused (they become a string at once); grown as needed. */
let viewUnits = new Uint16Array(8192);

/**
 * The views' offsets, reused: a view is read only by the table reader that made it, which is done with it
 * before the next table's view is made (a fresh array this long is allocated outside the heap, and freed late).
 */
let viewOffsets = new Int32Array(8193);

/** The same normal form as normaliseLabel, code unit by code unit so that offsets survive. */
function compactView(text: string, from: number, to: number): Compact {
  if (viewUnits.length < to - from) viewUnits = new Uint16Array(2 * (to - from));
  if (viewOffsets.length < to - from + 1) viewOffsets = new Int32Array(2 * (to - from) + 1);
  const codes = viewUnits;
  const offsets = viewOffsets;
  let length = 0;
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    // Han characters, most of the text, stay as they are: the table is asked only for the rest.
    let code = unit >= 0x4e00 && unit <= 0x9fff ? unit : (VIEW_CODES[unit] as number);
    if (code === -1) continue;
    // An item number's 、 (1、属于国家秘密) reads as 1.
    if (code === ENUMERATION_COMMA && length > 0 && isAsciiDigitCode(codes[length - 1] as number)) code = 0x2e;
    codes[length] = code;
    offsets[length] = i;
    length++;
  }
  offsets[length] = to;
  return { text: unitsToString(codes, length), offsets: offsets.subarray(0, length + 1) };
}

interface Found {
  /** Source offsets of the label. */
  start: number;
  end: number;
}

/** In this form a row's digits follow its label directly; a label followed by words is prose (行政许可类信息13条). */
function opensRun(view: Compact, at: number): boolean {
  return /[0-9+\-－−]/.test(view.text[at] ?? '');
}

/** The earliest form found from `from` on that opens a run; at one place the longest form wins (a variant may be a prefix). */
function findLabel(view: Compact, forms: readonly string[], from: number): { start: number; end: number } | null {
  let best: { start: number; end: number } | null = null;
  for (const form of forms) {
    let at = view.text.indexOf(form, from);
    while (at !== -1 && !opensRun(view, at + form.length)) at = view.text.indexOf(form, at + 1);
    if (at === -1) continue;
    if (!best || at < best.start || (at === best.start && at + form.length > best.end)) best = { start: at, end: at + form.length };
  }
  return best;
}

/** Each row's label, in table order, each after the previous one found; null where a row is not found. */
function locateRows(view: Compact, rows: readonly { label: string; variants?: readonly string[] }[], from: number): (Found | null)[] {
  let cursor = from;
  return rows.map((row) => {
    const hit = findLabel(view, labelForms(row), cursor);
    if (!hit) return null;
    cursor = hit.end;
    return { start: view.offsets[hit.start] ?? 0, end: view.offsets[hit.end] ?? 0 };
  });
}

// ---------------------------------------------------------------- digit runs

/** Digits with the spaces, signs and decimal points that may sit between them. */
const ISLAND = /[+\-－−]?[0-9０-９](?:[\s\u00a0\u3000]*[+\-－−.．]?[0-9０-９])*/g;

interface Run {
  /** The run as printed. */
  text: string;
  start: number;
  segments: Segment[];
}

/**
 * The first run of digits in text[from, to), and, when asked, whether another follows it there: no
 * caller needs more, and the runs after the first (the rest of a section, past a table's last row) were
 * each cut into segments for nothing.
 */
function firstIsland(text: string, from: number, to: number, askAnother: boolean): { run: Run | undefined; another: boolean } {
  ISLAND.lastIndex = 0;
  const slice = text.slice(from, to);
  const match = ISLAND.exec(slice);
  if (!match) return { run: undefined, another: false };
  const start = from + match.index;
  return { run: { text: match[0], start, segments: segmentsOf(match[0], start) }, another: askAnother && ISLAND.exec(slice) !== null };
}

/** A run's whitespace-separated stretches (\S+), found by code unit rather than by a regular expression made per run. */
function segmentsOf(run: string, start: number): Segment[] {
  const segments: Segment[] = [];
  for (let at = 0; at < run.length; ) {
    at = skipSpaces(run, at, run.length);
    if (at === run.length) break;
    let end = at + 1;
    while (end < run.length && !isSpaceCode(run.charCodeAt(end))) end++;
    const piece = toHalfWidthDigits(run.slice(at, end));
    segments.push({ text: piece.includes('−') ? piece.replace(/−/g, '-') : piece, offset: start + at });
    at = end;
  }
  return segments;
}

type RowRun = { kind: 'run'; run: Run } | { kind: 'mixed'; at: number; text: string };

/**
 * The digits printed between a row's label and the next row's. Words without
 * digits after them (headings repeated mid-table, block headings) are no
 * cells; two separate runs of digits cannot be told apart and make the row
 * unread. For a table's last row only the first run counts: what follows is
 * the text after the table.
 */
function rowRun(text: string, from: number, to: number, last: boolean): RowRun {
  const { run: first, another } = firstIsland(text, from, to, !last);
  if (!first || first.start !== from || another) {
    return { kind: 'mixed', at: first?.start ?? from, text: text.slice(from, to).trim() };
  }
  return { kind: 'run', run: first };
}

// ---------------------------------------------------------------- cells from readings

interface CellPlace {
  /** e.g. requests.newReceived.total */
  ref: string;
  /** e.g. 表三“一、本年新收政府信息公开申请数量”一行“总计”列 */
  where: string;
}

/** The places of a row's cells depend on the template alone: made once per row definition. */
const placesCache = new WeakMap<object, readonly CellPlace[]>();

function placesOnce(definition: object, make: () => CellPlace[]): readonly CellPlace[] {
  let places = placesCache.get(definition);
  if (!places) {
    places = make();
    placesCache.set(definition, places);
  }
  return places;
}

class TableReader {
  constructor(
    readonly source: Source,
    readonly messages: Message[],
  ) {}

  position(offset: number): Position {
    return this.source.position(offset);
  }

  warn(ruleId: string, message: string, offset: number, cells?: string[]): void {
    const at = this.position(offset);
    this.messages.push({ ruleId, severity: 'warning', message, line: at.line, column: at.column, ...(cells ? { cells } : {}) });
  }

  unreadCells(count: number, offset: number, text: string): Cell[] {
    return Array.from({ length: count }, () => absentCell('unread', text, this.position(offset)));
  }

  /**
   * One cell per column from the readings left: a number where they all
   * agree, ambiguous with the candidate values where they do not.
   */
  cellsFromReadings(readings: readonly Piece[][], run: Run, places: readonly CellPlace[], why: string): Cell[] {
    const only = readings.length === 1 ? (readings[0] as Piece[]) : null;
    // A single reading (most rows) settles every cell it has: nothing to compare.
    if (only && only.length >= places.length) {
      const cells: Cell[] = [];
      for (let column = 0; column < places.length; column++) {
        const piece = only[column] as Piece;
        const position = this.position(piece.offset);
        cells.push(piece.value === null ? absentCell('dash', piece.text, position) : { state: 'number', value: piece.value, text: piece.text, position });
      }
      return cells;
    }
    return places.map((place, column) => {
      // One pass for the common case, every reading printing the same text here.
      let only: Piece | undefined;
      let earliest = Infinity;
      let agree = true;
      for (const reading of readings) {
        const piece = reading[column];
        if (piece === undefined) continue;
        if (only === undefined) only = piece;
        else if (piece.text !== only.text) agree = false;
        if (piece.offset < earliest) earliest = piece.offset;
      }
      if (agree && only) {
        if (only.value === null) return absentCell('dash', only.text, this.position(earliest));
        return { state: 'number', value: only.value, text: only.text, position: this.position(earliest) };
      }
      // The distinct values in ascending order, and the distinct printed texts (a decimal keeps its published precision,
      // 895.90) by value, those of one value in the order first read: each put in its place as it comes. The lists are
      // a handful long, where sorting them and sets to find the distinct ones cost more than the rest of the cell.
      const values: number[] = [];
      const printedPieces: Piece[] = [];
      for (const reading of readings) {
        const piece = reading[column];
        if (piece === undefined) continue;
        const value = piece.value;
        if (value !== null && !values.includes(value)) {
          let at = values.length;
          while (at > 0 && (values[at - 1] as number) > value) at--;
          values.splice(at, 0, value);
        }
        if (!printedPieces.some((p) => p.text === piece.text)) {
          const key = value ?? -Infinity;
          let at = printedPieces.length;
          while (at > 0 && ((printedPieces[at - 1] as Piece).value ?? -Infinity) > key) at--;
          printedPieces.splice(at, 0, piece);
        }
      }
      const printed = printedPieces.map((p) => (p.value === null ? '“-”（空缺）' : p.text));
      this.warn(
        'cell-ambiguous',
        `${place.where}：数字连写为“${run.text.trim()}”，${why}，此格可能为 ${printed.join('、')}，无法确定，未取任何一种`,
        earliest,
        [place.ref],
      );
      return { state: 'ambiguous', value: null, text: run.text.trim(), position: this.position(earliest), candidates: values };
    });
  }

  /** Cells of a row whose digits could not be split: all unread, with one message saying why. */
  unreadRow(run: Run, places: readonly CellPlace[], label: string, why: string): Cell[] {
    this.warn(
      'cell-unread',
      `${label}的数字“${run.text.trim()}”${why}，该行 ${places.length} 个单元格记为未读`,
      run.start,
      places.map((p) => p.ref),
    );
    return this.unreadCells(places.length, run.start, run.text.trim());
  }

  /** Cells of a row that could not be read at all (label not found, digits of unclear extent). */
  cellsForNonRun(found: Exclude<RowRun, { kind: 'run' }> | null, places: readonly CellPlace[], label: string, anchor: number): Cell[] {
    if (!found) {
      this.warn('row-missing', `${label}未找到（或其后没有数字），其单元格记为未读`, anchor, places.map((p) => p.ref));
      return this.unreadCells(places.length, anchor, '未找到该行');
    }
    this.warn(
      'cell-unread',
      `${label}与下一行之间的数字（“${found.text}”）无法确定哪些属于该行，单元格记为未读`,
      found.at,
      places.map((p) => p.ref),
    );
    return this.unreadCells(places.length, found.at, found.text);
  }
}

function cellsOfRun(reader: TableReader, run: Run, groups: readonly CellGroup[], places: readonly CellPlace[], label: string): Cell[] {
  const { splits: readings, capped } = readRun(run.segments, groups, READING_LIMIT);
  if (capped) return reader.unreadRow(run, places, label, `可能的拆分超过 ${READING_LIMIT} 种，未逐一判断`);
  if (readings.length === 0) return reader.unreadRow(run, places, label, `无法按表内勾稽关系拆分为 ${places.length} 个单元格`);
  const why = groups.some((g) => g.summed) ? '按表内勾稽关系仍有多种拆分' : '表内没有能确定拆分的勾稽关系';
  return reader.cellsFromReadings(readings, run, places, why);
}

interface TableRead<T> {
  table: T;
  /** Source offsets of the table within its section (header words to last digits), for cutting it from the prose. */
  start: number;
  end: number;
}

/** The row runs of a table whose rows are found by label, with the offset where each row's label was sought. */
function rowRuns(text: string, span: SectionSpan, found: readonly (Found | null)[]): (RowRun | null)[] {
  const runs: (RowRun | null)[] = new Array<RowRun | null>(found.length);
  // From the last row back, so that each row knows the next one found without searching the rest of the list.
  let next: Found | null = null;
  for (let i = found.length - 1; i >= 0; i--) {
    const hit = found[i] ?? null;
    runs[i] = hit ? rowRun(text, hit.end, next ? next.start : span.end, !next) : null;
    if (hit) next = hit;
  }
  return runs;
}

/** A unit printed right after a number (39573802895.90元) belongs to the table, not to the prose after it. */
const UNIT = /\s*万?元/y;

function runEnd(text: string, runs: readonly (RowRun | null)[], found: readonly (Found | null)[], fallback: number): number {
  // A loop rather than spreading flat-mapped arrays into Math.max, which cost more than the rest of the table's bounds.
  let end = fallback;
  for (const f of found) if (f && f.end > end) end = f.end;
  for (const r of runs) if (r?.kind === 'run' && r.run.start + r.run.text.length > end) end = r.run.start + r.run.text.length;
  UNIT.lastIndex = end;
  return end + (UNIT.exec(text)?.[0].length ?? 0);
}

/** Rows are sought after the table's printed header when there is one, so that prose before the table never counts. */
function headerIndex(view: Compact, heading: string): number {
  return Math.max(0, view.text.indexOf(normaliseLabel(heading)));
}

/** Where a table's header starts: the first header word before the first row, else the first row. */
function tableStart(view: Compact, headerWords: readonly string[], firstRow: Found | undefined, fallback: number): number {
  const firstRowStart = firstRow?.start ?? fallback;
  const starts = headerWords
    .map((word) => view.text.indexOf(normaliseLabel(word)))
    .filter((at) => at !== -1)
    .map((at) => view.offsets[at] ?? fallback)
    .filter((offset) => offset < firstRowStart);
  return Math.min(firstRowStart, ...starts);
}

// ---------------------------------------------------------------- table 二

/** A table-二 row's one group, without a sum: by row definition, made once. */
const activeGroupsCache = new WeakMap<object, CellGroup[]>();

function activeGroups(row: TableLayout['activeRows'][number]): CellGroup[] {
  let groups = activeGroupsCache.get(row);
  if (!groups) {
    groups = [{ kinds: row.columns.map((c) => c.kind), summed: false }];
    activeGroupsCache.set(row, groups);
  }
  return groups;
}

function readActive(reader: TableReader, text: string, span: SectionSpan, layout: TableLayout): TableRead<Tables['active']> {
  const view = compactView(text, span.bodyStart, span.end);
  const blockHeading = `第二十条第${layout.activeRows[0]?.block ?? ''}项`;
  const found = locateRows(view, layout.activeRows, headerIndex(view, blockHeading));
  const runs = rowRuns(text, span, found);
  const table: NonNullable<Tables['active']> = {};
  layout.activeRows.forEach((row, i) => {
    const places = placesOnce(row, () =>
      row.columns.map((c) => ({ ref: `active.${row.key}.${c.key}`, where: `表二“${row.label}”一行“${c.label}”列` })),
    );
    const label = `表二“${row.label}”一行`;
    const found_ = runs[i] ?? null;
    const cells =
      found_?.kind === 'run'
        ? cellsOfRun(reader, found_.run, activeGroups(row), places, label)
        : reader.cellsForNonRun(found_, places, label, found[i]?.start ?? span.bodyStart);
    // Assigned in column order (the keys' order as fromEntries gives it), without an array of pairs per row.
    const byColumn: Record<string, Cell> = {};
    row.columns.forEach((c, k) => {
      byColumn[c.key] = cells[k] as Cell;
    });
    table[row.key] = byColumn;
  });
  const firstRow = found.find((f): f is Found => f !== null);
  return { table, start: tableStart(view, [blockHeading], firstRow, span.bodyStart), end: runEnd(text, runs, found, span.bodyStart) };
}

// ---------------------------------------------------------------- table 三

const requestKinds: CellKind[] = requestColumns.map(() => 'count');
/** A row of table 三 is one summed group: 总计 (the last column) is the sum of the six applicant columns. */
const requestGroups: CellGroup[] = [{ kinds: requestKinds, summed: true }];

const relationsCache = new WeakMap<readonly RequestRowDef[], ColumnRelation[]>();

/** The printed and structural column relations of table 三, from the rows' roles (made once per layout). */
function requestRelations(rows: readonly RequestRowDef[]): ColumnRelation[] {
  let relations = relationsCache.get(rows);
  if (!relations) {
    relations = relationsOf(rows);
    relationsCache.set(rows, relations);
  }
  return relations;
}

function relationsOf(rows: readonly RequestRowDef[]): ColumnRelation[] {
  const terms = (coefficients: Partial<Record<RequestRowDef['role'], number>>) =>
    rows.flatMap((row, i) => {
      const coefficient = coefficients[row.role];
      return coefficient ? [{ row: i, coefficient }] : [];
    });
  return [
    { id: 'requests-balance', terms: terms({ input: 1, total: -1, output: -1 }) },
    { id: 'requests-results-total', terms: terms({ total: 1, result: -1 }) },
  ];
}

function rowName(row: RequestRowDef): string {
  return row.group ? `${row.group} ${row.label}` : row.label;
}

function readRequests(reader: TableReader, text: string, span: SectionSpan, rows: readonly RequestRowDef[]): TableRead<Tables['requests']> {
  const view = compactView(text, span.bodyStart, span.end);
  const found = locateRows(view, rows, headerIndex(view, requestsBalanceNote));
  const runs = rowRuns(text, span, found);
  const placesOf = (row: RequestRowDef): readonly CellPlace[] =>
    placesOnce(row, () =>
      requestColumns.map((c) => ({ ref: `requests.${row.key}.${c.key}`, where: `表三“${rowName(row)}”一行“${c.label}”列` })),
    );
  const labelOf = (row: RequestRowDef) => `表三“${rowName(row)}”一行`;

  // Each row: its readings by its own sum, or cells already settled (unread, blank).
  const readings: (Piece[][] | null)[] = [];
  const settled: (Cell[] | null)[] = [];
  rows.forEach((row, i) => {
    const run = runs[i] ?? null;
    if (run?.kind !== 'run') {
      readings.push(null);
      settled.push(reader.cellsForNonRun(run, placesOf(row), labelOf(row), found[i]?.start ?? span.bodyStart));
      return;
    }
    const read = readRun(run.run.segments, requestGroups, READING_LIMIT);
    const why = read.capped ? `可能的拆分超过 ${READING_LIMIT} 种，未逐一判断` : read.splits.length === 0 ? '无法按“总计等于各申请人之和”拆分为 7 个单元格' : null;
    readings.push(why ? null : read.splits);
    settled.push(why ? reader.unreadRow(run.run, placesOf(row), labelOf(row), why) : null);
  });

  // The column relations narrow the rows' readings together; a relation over an unread row cannot be used.
  const relations = requestRelations(rows).filter((r) => r.terms.every((t) => readings[t.row]));
  const needsNarrowing = relations.some((r) => r.terms.some((t) => (readings[t.row]?.length ?? 0) > 1));
  if (needsNarrowing) {
    const candidates = readings.map((list) => (list ?? []).map((reading) => reading.map((p) => p.value ?? 0)));
    const narrowed = narrowByRelations(candidates, relations);
    if (narrowed.status === 'ok') {
      readings.forEach((list, i) => {
        if (list) readings[i] = list.filter((_, k) => narrowed.viable[i]?.[k]);
      });
    } else {
      const firstRun = runs.find((r): r is Extract<RowRun, { kind: 'run' }> => r?.kind === 'run');
      const at = reader.position(firstRun?.run.start ?? span.bodyStart);
      reader.messages.push({
        ruleId: 'split-relations',
        severity: 'info',
        message:
          narrowed.status === 'none'
            ? '表三的数字连写，且没有任何拆分能同时满足各列勾稽关系（表格本身不一致），各行只按“总计等于各申请人之和”拆分，不能确定的单元格标为有歧义'
            : '表三的数字连写，可能的组合过多，未用各列勾稽关系判断，各行只按“总计等于各申请人之和”拆分',
        line: at.line,
        column: at.column,
      });
    }
  }

  const table: NonNullable<Tables['requests']> = {};
  rows.forEach((row, i) => {
    const run = runs[i];
    const list = readings[i];
    table[row.key] = settled[i] ?? (list && run?.kind === 'run' ? reader.cellsFromReadings(list, run.run, placesOf(row), '按表内勾稽关系仍有多种拆分') : []);
  });
  const firstRow = found.find((f): f is Found => f !== null);
  return {
    table,
    start: tableStart(view, [requestsBalanceNote], firstRow, span.bodyStart),
    end: runEnd(text, runs, found, span.bodyStart),
  };
}

// ---------------------------------------------------------------- table 四

/** Each group of table 四 is summed: its last column (总计) is the sum of the others. */
const reviewGroupsSummed: CellGroup[] = reviewGroups.map(() => ({ kinds: reviewColumns.map(() => 'count' as const), summed: true }));

/** Table 四: the header words, then one run of fifteen values right after the last 总计. */
function readReview(reader: TableReader, text: string, span: SectionSpan): TableRead<Tables['review']> {
  const view = compactView(text, span.bodyStart, span.end);
  const places = placesOnce(reviewGroups, () =>
    reviewGroups.flatMap((g) => reviewColumns.map((c) => ({ ref: `review.${g.key}.${c.key}`, where: `表四“${g.label}”的“${c.label}”` }))),
  );
  const lastHeader = normaliseLabel(reviewColumns.at(-1)?.label ?? '');
  const headerAt = view.text.lastIndexOf(lastHeader);
  const headerEnd = headerAt === -1 ? -1 : (view.offsets[headerAt + lastHeader.length] ?? span.end);
  const run = headerEnd === -1 ? undefined : firstIsland(text, headerEnd, span.end, false).run;
  const adjacent = run !== undefined && text.slice(headerEnd, run.start).trim() === '';
  let cells: Cell[];
  if (!run || !adjacent) {
    const at = headerEnd === -1 ? span.bodyStart : headerEnd;
    reader.warn('row-missing', '表四的表头之后未找到数字，其单元格记为未读', at, places.map((p) => p.ref));
    cells = reader.unreadCells(places.length, at, '未找到数字');
  } else {
    cells = cellsOfRun(reader, run, reviewGroupsSummed, places, '表四的数字行');
  }
  const table = Object.fromEntries(
    reviewGroups.map((g, gi) => [g.key, Object.fromEntries(reviewColumns.map((c, ci) => [c.key, cells[gi * reviewColumns.length + ci] as Cell]))]),
  );
  const firstHeader = normaliseLabel(reviewColumns[0]?.label ?? '');
  const columnsAt = view.text.indexOf(firstHeader);
  // The group headings (行政复议 行政诉讼) sit just before the first column heading.
  const groupsAt = columnsAt === -1 ? -1 : view.text.lastIndexOf(normaliseLabel(reviewGroups[0]?.label ?? ''), columnsAt);
  const startIndex = groupsAt !== -1 && columnsAt - groupsAt <= 20 ? groupsAt : columnsAt;
  const start = startIndex === -1 ? (run?.start ?? span.end) : (view.offsets[startIndex] ?? span.bodyStart);
  return { table, start, end: run && adjacent ? run.start + run.text.length : Math.max(start, headerEnd) };
}

// ---------------------------------------------------------------- the adapter

/** Table-三 row labels in normal form; in this form rows follow each other on one line, each label glued to its digits. */
const flatRowForms = [...new Set([...layouts['2021'].requestRows, ...layouts['2019'].requestRows].flatMap((row) => labelForms(row)))];

/** The row forms by their last code unit: a form glued to a digit ends on the unit just before that digit. */
const formsByLastUnit = new Map<number, string[]>();
for (const form of flatRowForms) {
  const last = form.charCodeAt(form.length - 1);
  formsByLastUnit.set(last, [...(formsByLastUnit.get(last) ?? []), form]);
}

/** A code unit's form in normalForm (-1: dropped), learnt from normalForm itself one unit at a time; -2 not yet asked. */
const unitForms = new Int32Array(0x10000).fill(-2);

function unitForm(code: number): number {
  let form = unitForms[code] as number;
  if (form === -2) {
    const alone = normalForm(String.fromCharCode(code));
    form = alone === '' ? -1 : alone.charCodeAt(0);
    unitForms[code] = form;
  }
  return form;
}

/** The units whose normal form is an ASCII digit (normalForm makes ０-９ ASCII). */
const DIGIT_RUN = /[0-9\uff10-\uff19]+/g;

/**
 * Whether some one line of at least 150 units holds at least `enough` table-三 labels, in normal form,
 * each directly followed by a digit. Only the few places where a run of digits starts are looked at:
 * from each, the label is matched backwards over the original text, unit by unit in normal form, so
 * that a report's long lines are neither copied nor normalised (that was a tenth of the whole parse).
 */
function hasGluedRowLabels(text: string, enough: number): boolean {
  for (let lineStart = 0; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    if (lineEnd - lineStart >= 150 && gluedOnLongLine(text, lineStart, lineEnd, enough)) return true;
    lineStart = lineEnd + 1;
  }
  return false;
}

function gluedOnLongLine(text: string, lineStart: number, lineEnd: number, enough: number): boolean {
  const leadLast = thirdKeptUnit(text, lineStart, lineEnd);
  const glued = new Set<string>();
  DIGIT_RUN.lastIndex = lineStart;
  for (let run = DIGIT_RUN.exec(text); run && run.index < lineEnd; run = DIGIT_RUN.exec(text)) {
    const verdict = gluedBefore(text, lineStart, leadLast, run.index, glued, enough);
    if (verdict === 'enough') return true;
    // A label reaching the line's first units may take normalForm's leading item point: the whole line in normal form decides.
    if (verdict === 'nearLineStart') return gluedOnLine(normalForm(text.slice(lineStart, lineEnd)), enough);
  }
  return false;
}

/** Where the line's third unit kept in normal form lies (the line's end when it has fewer): up to there a leading item point may change. */
function thirdKeptUnit(text: string, lineStart: number, lineEnd: number): number {
  let kept = 0;
  for (let i = lineStart; i < lineEnd; i++) if (unitForm(text.charCodeAt(i)) !== -1 && ++kept === 3) return i;
  return lineEnd;
}

/**
 * Adds to `glued` the forms that end just before the digit at `digitAt` (whatever normalForm drops may
 * lie between). 'nearLineStart' when a match would reach the line's first three units in normal form
 * (up to `leadLast`).
 */
function gluedBefore(
  text: string,
  lineStart: number,
  leadLast: number,
  digitAt: number,
  glued: Set<string>,
  enough: number,
): 'enough' | 'nearLineStart' | 'more' {
  let last = digitAt - 1;
  while (last >= lineStart && unitForm(text.charCodeAt(last)) === -1) last--;
  if (last < lineStart) return 'more';
  const forms = formsByLastUnit.get(unitForm(text.charCodeAt(last)));
  if (!forms) return 'more';
  for (const form of forms) {
    if (glued.has(form)) continue;
    const match = matchesBackwards(text, lineStart, leadLast, last, form);
    if (match === 'nearLineStart') return match;
    if (match) {
      glued.add(form);
      if (glued.size >= enough) return 'enough';
    }
  }
  return 'more';
}

/** Whether `form` ends at unit `last` in normal form, or 'nearLineStart' when the comparison reaches the line's first three units. */
function matchesBackwards(text: string, lineStart: number, leadLast: number, last: number, form: string): boolean | 'nearLineStart' {
  let at = last;
  for (let k = form.length - 1; k >= 0; k--) {
    while (at >= lineStart && unitForm(text.charCodeAt(at)) === -1) at--;
    if (at < lineStart) return false;
    if (at <= leadLast) return 'nearLineStart';
    if (unitForm(text.charCodeAt(at)) !== form.charCodeAt(k)) return false;
    at--;
  }
  return true;
}

/**
 * Whether at least `enough` different forms are each directly followed by a digit somewhere in the line.
 * One pass over the line's digits rather than a search per form: a line without the table (a legacy
 * report's prose) used to be searched through once for each of the thirty-odd forms.
 */
function gluedOnLine(compact: string, enough: number): boolean {
  const glued = new Set<string>();
  for (let at = 1; at < compact.length; at++) {
    const code = compact.charCodeAt(at);
    if (code < 0x30 || code > 0x39) continue;
    const forms = formsByLastUnit.get(compact.charCodeAt(at - 1));
    if (!forms) continue;
    for (const form of forms) {
      if (at >= form.length && !glued.has(form) && compact.startsWith(form, at - form.length)) {
        glued.add(form);
        if (glued.size >= enough) return true;
      }
    }
  }
  return false;
}

function crawlerHeader(text: string): boolean {
  const head = text.slice(0, 3000);
  const banner = BANNER.exec(head);
  return banner !== null && (head.slice(0, banner.index).match(CRAWLER_FIELD)?.length ?? 0) >= 2;
}

/** Metadata the crawler header states; the title names the report's body and year (发布机构 is only the office that posted it). */
function statedMeta(header: string): PartialMeta {
  const fields = headerLines(header);
  if (!fields.title) return fields;
  // The fields, then what the title adds, the title itself kept as stated: assigned in that order, without spreading.
  return Object.assign(fields, titleLine(fields.title), { title: fields.title });
}

export const flatText: Adapter = {
  id: 'flat-text',
  name: '网页抓取文本',
  detect(source, asked = { toBeat: 0, last: false }) {
    if (!['txt', 'text', ''].includes(source.extension)) return 0;
    const header = crawlerHeader(source.text);
    // Glued labels raise the score to 0.95 with a header (from 0.9), to 0.85 without (from 0). They are looked for only
    // where that can change the choice: past the score to beat, or, with adapters still to ask, the exact score above it.
    const plainScore = header ? 0.9 : 0;
    const gluedScore = header ? 0.95 : 0.85;
    const settled = plainScore > asked.toBeat ? asked.last : gluedScore <= asked.toBeat;
    if (!settled && hasGluedRowLabels(source.text, 3)) return gluedScore;
    return plainScore;
  },
  read(source, { layout }): Reading {
    const text = source.text;
    const { headerEnd, start, end } = bodyRange(text);
    const spans = findSections(text.slice(0, end), start);
    const messages: Message[] = missingSectionMessages(source, spans, start);
    const reader = new TableReader(source, messages);
    const span = (id: string) => spans.find((s) => s.id === id);
    const regions = new Map<string, { start: number; end: number }>();
    const tables: Tables = { active: null, requests: null, review: null };
    if (layout) {
      const active = span('active');
      const requests = span('requests');
      const review = span('review');
      if (active) {
        const read = readActive(reader, text, active, layout);
        tables.active = read.table;
        regions.set('active', read);
      }
      if (requests) {
        const read = readRequests(reader, text, requests, layout.requestRows);
        tables.requests = read.table;
        regions.set('requests', read);
      }
      if (review) {
        const read = readReview(reader, text, review);
        tables.review = read.table;
        regions.set('review', read);
      }
    }
    // A table section's prose is what comes before and after its table.
    const markdown = (s: SectionSpan): string => {
      const region = regions.get(s.id);
      if (!region) return proseToMarkdown(text, s.bodyStart, s.end);
      return proseToMarkdown(`${text.slice(s.bodyStart, Math.max(s.bodyStart, region.start))}\n${text.slice(Math.min(s.end, region.end), s.end)}`);
    };
    return {
      stated: statedMeta(text.slice(0, headerEnd)),
      body: text.slice(start, end),
      sections: sectionsWithMarkdown(source, spans, markdown),
      tables,
      messages,
    };
  },
};
