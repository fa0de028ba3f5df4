/**
 * Reading a table's rows from PDF-extracted lines by their labels.
 *
 * Extractors emit lines in vertical order. A row's values sit on its label's
 * line, on a continuation line of a wrapped label, or on a line of their own
 * just above, between or below the label's lines; spanning headings (the
 * vertical 三、本年度办理结果, （三）不予公开 …) are cut into fragments that land
 * in front of or between the rows' lines. Rows whose values share a line with
 * their label are certain; they split the table into stretches in which the
 * remaining rows and the value-only lines must pair up in order. Where their
 * counts differ, no pairing is certain and the rows are left unread.
 */
import { isSpaceCode, readCell, skipSpaces } from '../../template/cell-text.js';
import type { CellKind } from '../../template/layout.js';
import { labelForms, normaliseLabel } from '../../template/labels.js';
import { absentCell, type Cell, type Message } from '../../template/model.js';
import type { Source } from '../../read/source.js';
import type { PdfLine, Word } from './lines.js';

export interface RowSpec {
  key: string;
  /** The template label, for messages. */
  label: string;
  /** Normalised forms the printed label may take. */
  forms: readonly string[];
  /** One kind per value column. */
  kinds: readonly CellKind[];
}

/** A group heading that may be printed as one row instead of its items. */
export interface GroupSpec {
  label: string;
  form: string;
  members: readonly string[];
}

export interface TableSpec {
  /** Chinese table name for messages (表二, 表三). */
  name: string;
  rows: readonly RowSpec[];
  /** Normalised spanning headings whose fragments are not row labels. */
  spanning: readonly string[];
  groups: readonly GroupSpec[];
}

/** Shortest start of a wrapped label taken as the row's label (shorter ones are too common). */
const MIN_LABEL_START = 6;

export function rowSpec(def: { key: string; label: string; variants?: readonly string[] }, kinds: readonly CellKind[]): RowSpec {
  return { key: def.key, label: def.label, forms: labelForms(def), kinds };
}

/** Every non-empty part of a table's spanning headings: a word is a fragment of one when it is among them. */
const fragmentsCache = new WeakMap<TableSpec, Set<string>>();

function spanningFragments(spec: TableSpec): Set<string> {
  let fragments = fragmentsCache.get(spec);
  if (!fragments) {
    fragments = new Set();
    for (const heading of spec.spanning) {
      for (let start = 0; start < heading.length; start++) {
        for (let end = start + 1; end <= heading.length; end++) fragments.add(heading.slice(start, end));
      }
    }
    fragmentsCache.set(spec, fragments);
  }
  return fragments;
}

function isSpanningFragment(spec: TableSpec, word: string): boolean {
  return spanningFragments(spec).has(normaliseLabel(word));
}

/** The text, then the text with each spanning heading in front of it taken off in turn. */
function spanningStages(spec: TableSpec, text: string): string[] {
  const stages: string[] = [];
  let rest = text;
  for (;;) {
    stages.push(rest);
    const prefix = spec.spanning.find((heading) => rest.startsWith(heading) && rest.length > heading.length);
    if (!prefix) return stages;
    rest = rest.slice(prefix.length);
  }
}

/** For each text that opens a row's label (a whole form, or a start of one at least MIN_LABEL_START long), the rows it opens, in order. */
const openerCache = new WeakMap<TableSpec, Map<string, number[]>>();

function openers(spec: TableSpec): Map<string, number[]> {
  let map = openerCache.get(spec);
  if (!map) {
    const built = new Map<string, number[]>();
    spec.rows.forEach((row, index) => {
      const texts = new Set<string>();
      for (const form of row.forms) {
        texts.add(form);
        for (let length = MIN_LABEL_START; length <= form.length; length++) texts.add(form.slice(0, length));
      }
      for (const text of texts) built.set(text, [...(built.get(text) ?? []), index]);
    });
    map = built;
    openerCache.set(spec, map);
  }
  return map;
}

/** A stage of a label's reading (spanningStages) and the rows it opens (openers), if any. */
interface Stage {
  text: string;
  rows: readonly number[] | undefined;
}

/**
 * The first row from `fromRow` on whose label a reading opens — the whole
 * label, or a long enough start of it, perhaps behind spanning headings —
 * with the part of the reading that opens it; null when it opens none.
 */
function openedRow(stages: readonly Stage[], fromRow: number): { row: number; opened: string } | null {
  // Loops rather than find and includes with closures: this runs for every line of every table.
  let row = -1;
  for (const { rows } of stages) {
    if (!rows) continue;
    for (const index of rows) {
      if (index < fromRow) continue;
      if (row === -1 || index < row) row = index;
      break;
    }
  }
  if (row === -1) return null;
  // The row's label as read so far: the first stage that opens that row.
  for (const stage of stages) if (stage.rows?.includes(row)) return { row, opened: stage.text };
  return null;
}

type Event =
  | { kind: 'start'; row: number; line: PdfLine }
  | { kind: 'inline'; row: number; line: PdfLine }
  | { kind: 'values'; line: PdfLine }
  | { kind: 'collapsed'; group: GroupSpec; line: PdfLine }
  /** A line with values whose words are no label of the table. */
  | { kind: 'unknown'; line: PdfLine };

/** openings(spec)[code] is 1 for the first characters (code units) a row's label can open with, to pass over continuation lines quickly. */
const openingCache = new WeakMap<TableSpec, Uint8Array>();

function openings(spec: TableSpec): Uint8Array {
  let table = openingCache.get(spec);
  if (!table) {
    table = new Uint8Array(0x10000);
    for (const form of [...spec.rows.flatMap((row) => row.forms), ...spec.spanning]) if (form !== '') table[form.charCodeAt(0)] = 1;
    openingCache.set(spec, table);
  }
  return table;
}

/** What a line's label says, whatever line it is on. */
interface LabelReading {
  /** The label normalised with 0, 1, … of its leading words left out, for as many words as open it as fragments of spanning headings. */
  readings: string[];
  /** Per reading, its stages when its first character can open a row's label, else null. */
  stages: (Stage[] | null)[];
  /** Whether every word of the label is a fragment of a spanning heading (so, too, when it has none). */
  allFragments: boolean;
}

const noLabel: LabelReading = { readings: [], stages: [], allFragments: true };

/** Each table's label readings by the label's printed text: labels repeat from line to line and report to report. */
const readingCache = new WeakMap<TableSpec, Map<string, LabelReading>>();
/** Distinct labels remembered per table at most, and the longest remembered: damaged text must not grow the cache without bound. */
const READING_CACHE_SIZE = 5_000;
const REMEMBERED_LABEL_LENGTH = 120;

/**
 * The reading of a printed label (text between spaces: its words). Each reading is normalised from
 * the label's own text: the spaces between words are what normalisation drops, so no words are joined.
 */
function readLabel(spec: TableSpec, label: string): LabelReading {
  // The words are read as far as the leading fragments and one word past them: the readings go no further.
  const wordStarts: number[] = [];
  let allFragments = true;
  for (let at = skipSpaces(label, 0, label.length); at < label.length; at = skipSpaces(label, at, label.length)) {
    const start = at;
    while (at < label.length && !isSpaceCode(label.charCodeAt(at))) at++;
    wordStarts.push(start);
    if (spec.spanning.length === 0 || !isSpanningFragment(spec, label.slice(start, at))) {
      allFragments = false;
      break;
    }
  }
  const canOpen = openings(spec);
  const byText = openers(spec);
  const readings: string[] = [];
  const stages: (Stage[] | null)[] = [];
  for (const start of wordStarts) {
    const reading = normaliseLabel(label.slice(start));
    readings.push(reading);
    stages.push(canOpen[reading.charCodeAt(0)] === 1 ? spanningStages(spec, reading).map((text) => ({ text, rows: byText.get(text) })) : null);
  }
  return { readings, stages, allFragments };
}

function labelReading(spec: TableSpec, text: string, line: PdfLine): LabelReading {
  if (line.labelStart === line.labelEnd) return noLabel;
  let cache = readingCache.get(spec);
  if (!cache) {
    cache = new Map();
    readingCache.set(spec, cache);
  }
  const label = text.slice(line.labelStart, line.labelEnd);
  if (label.length > REMEMBERED_LABEL_LENGTH) return readLabel(spec, label);
  let reading = cache.get(label);
  if (!reading) {
    reading = readLabel(spec, label);
    if (cache.size >= READING_CACHE_SIZE) cache.clear();
    cache.set(label, reading);
  }
  return reading;
}

/** Whether some form of the row opens with `soFar` followed by `text`, without joining them. */
function continuesRow(row: RowSpec, soFar: string, text: string): boolean {
  for (const form of row.forms) if (form.startsWith(soFar) && form.startsWith(text, soFar.length)) return true;
  return false;
}

function classify(spec: TableSpec, text: string, lines: readonly PdfLine[]): Event[] {
  const events: Event[] = [];
  let nextRow = 0;
  let currentRow = -1;
  /** The current row's label as read so far (normalised). */
  let labelSoFar = '';
  for (const line of lines) {
    const { readings, stages, allFragments } = labelReading(spec, text, line);

    let started = -1;
    for (let r = 0; r < readings.length; r++) {
      const readingStages = stages[r];
      if (!readingStages) continue;
      const found = openedRow(readingStages, nextRow);
      if (found) {
        started = found.row;
        labelSoFar = found.opened;
        break;
      }
    }
    if (started !== -1) {
      events.push({ kind: 'start', row: started, line });
      if (line.values.length > 0) events.push({ kind: 'inline', row: started, line });
      currentRow = started;
      nextRow = started + 1;
      continue;
    }
    if (readings.length === 0 || allFragments) {
      if (line.values.length === 0) continue;
      // With every word a fragment, the first reading is the whole label (none without words).
      const whole = readings[0] ?? '';
      const group = spec.groups.find((g) => g.form === whole);
      if (group) {
        events.push({ kind: 'collapsed', group, line });
        // A later line cannot continue a row printed above the collapsed group.
        currentRow = -1;
      } else {
        events.push({ kind: 'values', line });
      }
      continue;
    }
    // Not indexed with -1: a read outside an array's bounds is a slow property lookup.
    const row = currentRow === -1 ? undefined : spec.rows[currentRow];
    let continuation: string | undefined;
    if (row) {
      for (const reading of readings) {
        if (continuesRow(row, labelSoFar, reading)) {
          continuation = reading;
          break;
        }
      }
    }
    if (continuation !== undefined) {
      labelSoFar += continuation;
      if (line.values.length > 0) events.push({ kind: 'inline', row: currentRow, line });
    } else if (line.values.length > 0) {
      events.push({ kind: 'unknown', line });
      currentRow = -1;
    }
  }
  return events;
}

/** text[start, end) without its whitespace: a label's words joined, as a message quotes them. */
function withoutSpaces(text: string, start: number, end: number): string {
  let joined = '';
  for (let at = start; at < end; at++) if (!isSpaceCode(text.charCodeAt(at))) joined += text[at];
  return joined;
}

export interface RowsReading {
  cells: Record<string, Cell[]>;
  messages: Message[];
}

/** Reads every row of the table from its lines; rows that cannot be read with certainty are unread. */
export function readLabelledRows(source: Source, spec: TableSpec, lines: readonly PdfLine[], tableStart: number): RowsReading {
  const cells: Record<string, Cell[]> = {};
  const messages: Message[] = [];
  const events = classify(spec, source.text, lines);

  const warn = (ruleId: string, offset: number, message: string) => {
    const at = source.position(offset);
    messages.push({ ruleId, severity: 'warning', message, line: at.line, column: at.column });
  };
  const unread = (row: RowSpec, offset: number): Cell[] =>
    row.kinds.map(() => absentCell('unread', '', source.position(offset)));
  const labelOffset = (line: PdfLine) => (line.labelStart < line.labelEnd ? line.labelStart : line.offset);
  const valuesText = (line: PdfLine) => line.values.map((w) => w.text).join(' ');

  const assign = (row: RowSpec, labelLine: PdfLine, valueLine: PdfLine) => {
    if (valueLine.values.length !== row.kinds.length) {
      warn(
        'cell-unread',
        valueLine.values[0]?.offset ?? valueLine.offset,
        `${spec.name}“${row.label}”一行读到 ${valueLine.values.length} 个数字（${valuesText(valueLine)}），应有 ${row.kinds.length} 个，无法确定各数字所在的列，记为未读`,
      );
      cells[row.key] = unread(row, labelOffset(labelLine));
      return;
    }
    cells[row.key] = valueLine.values.map((word, i) =>
      readCell(word.text, row.kinds[i] ?? 'count', source.position(word.offset)),
    );
  };

  let pendingRows: { row: RowSpec; line: PdfLine }[] = [];
  let pendingValues: PdfLine[] = [];
  const settle = () => {
    if (pendingRows.length === pendingValues.length) {
      pendingRows.forEach((pending, i) => assign(pending.row, pending.line, pendingValues[i] as PdfLine));
    } else {
      for (const pending of pendingRows) {
        warn(
          'cell-unread',
          labelOffset(pending.line),
          `${spec.name}“${pending.row.label}”一行的数字不在其标签所在行，此处有 ${pendingRows.length} 个这样的行却有 ${pendingValues.length} 组单独成行的数字，无法确定对应关系，记为未读`,
        );
        cells[pending.row.key] = unread(pending.row, labelOffset(pending.line));
      }
      if (pendingRows.length === 0) {
        for (const line of pendingValues) {
          warn('values-unassigned', line.values[0]?.offset ?? line.offset, `${spec.name}此处的一组数字（${valuesText(line)}）无法对应到任何一行，未采用`);
        }
      }
    }
    pendingRows = [];
    pendingValues = [];
  };

  const lastInline = new Map<number, number>();
  events.forEach((event, i) => {
    if (event.kind === 'inline') lastInline.set(event.row, i);
  });
  const collapsed: { group: GroupSpec; line: PdfLine }[] = [];

  for (let i = 0; i < events.length; i++) {
    const event = events[i] as Event;
    if (event.kind === 'values') {
      pendingValues.push(event.line);
    } else if (event.kind === 'collapsed') {
      settle();
      collapsed.push(event);
    } else if (event.kind === 'unknown') {
      settle();
      warn(
        'values-unassigned',
        labelOffset(event.line),
        `${spec.name}此行“${withoutSpaces(source.text, event.line.labelStart, event.line.labelEnd)}”不是可识别的行标签，其数字（${valuesText(event.line)}）未采用`,
      );
    } else if (event.kind === 'start') {
      const row = spec.rows[event.row] as RowSpec;
      const end = lastInline.get(event.row);
      if (end === undefined) {
        pendingRows.push({ row, line: event.line });
        continue;
      }
      settle();
      // The row's own events gathered by a loop: a slice then flatMap cost a twentieth of the whole read.
      const valueLines: PdfLine[] = [];
      for (let k = i; k <= end; k++) {
        const own = events[k] as Event;
        if (own.kind === 'inline' || own.kind === 'values') valueLines.push(own.line);
      }
      if (valueLines.length === 1) {
        assign(row, event.line, valueLines[0] as PdfLine);
      } else {
        warn(
          'cell-unread',
          labelOffset(event.line),
          `${spec.name}“${row.label}”一行的标签旁有 ${valueLines.length} 组数字，无法确定哪一组属于该行，记为未读`,
        );
        cells[row.key] = unread(row, labelOffset(event.line));
      }
      i = end;
    }
  }
  settle();

  for (const row of spec.rows) {
    if (cells[row.key]) continue;
    const group = collapsed.find((c) => c.group.members.includes(row.key));
    if (group) {
      cells[row.key] = unread(row, labelOffset(group.line));
      continue;
    }
    warn('row-missing', tableStart, `${spec.name}未找到“${row.label}”一行，其单元格记为未读`);
    cells[row.key] = unread(row, tableStart);
  }
  for (const { group, line } of collapsed) {
    const unreadMembers = group.members.filter((key) => spec.rows.some((r) => r.key === key) && cells[key]?.every((c) => c.state === 'unread'));
    if (unreadMembers.length === 0) continue;
    warn(
      'cell-unread',
      labelOffset(line),
      `${spec.name}“${group.label}”只印成一行（${valuesText(line)}），未分列其下 ${unreadMembers.length} 项，各项的数字无法确定，记为未读`,
    );
  }
  return { cells, messages };
}

/** A table whose cells are all values in reading order (table 四): exactly `count` of them, or none is certain. */
export function readValueRun(
  source: Source,
  lines: readonly PdfLine[],
  count: number,
  anchor: number,
  table: string,
): { cells: Cell[]; messages: Message[] } {
  // Gathered by a loop: flatMap cost as much as the rest of the table's reading.
  const words: Word[] = [];
  for (const line of lines) for (const word of line.values) words.push(word);
  if (words.length === count) {
    return { cells: words.map((w) => readCell(w.text, 'count', source.position(w.offset))), messages: [] };
  }
  const at = source.position(words[0]?.offset ?? anchor);
  return {
    cells: Array.from({ length: count }, () => absentCell('unread', '', at)),
    messages: [
      {
        ruleId: 'cell-unread',
        severity: 'warning',
        message: `${table}读到 ${words.length} 个数字，应有 ${count} 个，无法确定各数字所在的格，全部记为未读`,
        line: at.line,
        column: at.column,
      },
    ],
  };
}
