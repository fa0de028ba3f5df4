/**
 * nianbao's Markdown authoring form (docs/authoring.md): YAML front matter,
 * the six sections as level-2 headings, and the tables as GFM tables whose
 * rows and columns are found by their labels, never by their place alone.
 */
import { readCell } from '../template/cell-text.js';
import {
  layouts,
  requestColumns,
  reviewColumns,
  reviewGroups,
  sections as sectionDefs,
  type ActiveRowDef,
  type TableLayout,
  type TemplateId,
} from '../template/layout.js';
import {
  absentCell,
  cellAt,
  setCellAt,
  type Acceptance,
  type ActiveTable,
  type Cell,
  type Message,
  type RequestsTable,
  type ReviewTable,
  type Section,
  type Tables,
} from '../template/model.js';
import type { Source } from '../read/source.js';
import { notPrepared, type Adapter, type Reading } from './adapter.js';
import { scanFast, type BlockRow, type Blocks, type BlockTable, type FrontMatter } from './markdown-scan.js';
import { layoutMatchers, matchColumn, sectionByMeaning } from './markdown-tables.js';
import { normaliseDate, type PartialMeta } from './meta.js';
import type { SectionSpan } from './sections.js';
import { missingSectionMessages } from './text-sections.js';

type Say = (ruleId: string, message: string, offset: number, cells?: string[]) => void;

/**
 * What reading some documents needs, loaded by the adapter's prepare only
 * then: remark for blocks the line scan cannot settle, the YAML parser for
 * front matter that is not plain `key: value` lines. Most documents need neither.
 */
const loaded: { remark: typeof import('./markdown-blocks.js') | null; yaml: typeof import('yaml') | null } = { remark: null, yaml: null };
/** A source's blocks as scanned by prepare, for read to take rather than scan again. */
const scannedBlocks = new WeakMap<Source, Blocks | null>();


/** The source's blocks: from its line scan, or through remark when that cannot settle them. */
function blocksOf(source: Source): Blocks {
  const fast = scannedBlocks.has(source) ? (scannedBlocks.get(source) ?? null) : scanFast(source.text);
  scannedBlocks.delete(source);
  if (fast) return fast;
  if (!loaded.remark) throw notPrepared(markdown.name, 'remark');
  return loaded.remark.scanByGroups(source.text);
}

function messenger(source: Source, messages: Message[]): Say {
  return (ruleId, message, offset, cells) => {
    const at = source.position(offset);
    messages.push({ ruleId, severity: 'warning', message, line: at.line, column: at.column, ...(cells ? { cells } : {}) });
  };
}

// ---------------------------------------------------------------- front matter

/** A cell the writer could not give a number for, kept so the round trip loses nothing. */
export interface UnreadNote {
  cell: string;
  text: string;
  candidates?: number[];
}

interface FrontMatterReading {
  stated: PartialMeta;
  template?: TemplateId;
  accepted: Acceptance[];
  unread: UnreadNote[];
}

const templateIds: readonly TemplateId[] = ['2021', '2019', 'pre-2019'];
const metaKeys = ['agency', 'year', 'title', 'published', 'indexNo', 'template', 'source', 'combines', 'accept', 'unread'];

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function strings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

// Greedy value, trailing blanks trimmed afterwards: a lazy value before `[ \t]*$` backtracks quadratically on long blank runs.
function withoutTrailingBlanks(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(0, end);
}

const PLAIN_LINE = /^([A-Za-z][A-Za-z0-9]*):[ \t]+(.*)$/;

/**
 * Front matter made only of `key: value` lines whose values YAML reads as
 * an integer, a date-like string or a plain or double-quoted string without
 * escapes, read without the YAML parser (which costs more than the rest of
 * the document); null for anything else, which goes to the YAML parser.
 */
export function plainFrontMatter(yaml: string): Record<string, unknown> | null {
  const record: Record<string, unknown> = {};
  for (const line of yaml.split('\n')) {
    if (line.trim() === '') continue;
    const match = PLAIN_LINE.exec(line);
    if (!match) return null;
    const key = match[1] as string;
    const value = withoutTrailingBlanks(match[2] as string);
    if (key in record) return null;
    if (/^"[^"\\]*"$/.test(value)) record[key] = value.slice(1, -1);
    else if (/^[1-9]\d{0,8}$/.test(value)) record[key] = Number(value);
    else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) record[key] = value;
    else if (/^[^\s\d\-?:,[\]{}#&*!|>'"%@`.+~]/.test(value) && !/: |\s#|^(?:null|true|false|y|n|yes|no|on|off)$/i.test(value))
      record[key] = value;
    else return null;
  }
  return record;
}

function readFrontMatter(frontMatter: FrontMatter, say: Say): FrontMatterReading {
  const reading: FrontMatterReading = { stated: {}, accepted: [], unread: [] };
  const offsetOf = (yamlOffset: number) => frontMatter.valueStart + Math.max(0, Math.min(yamlOffset, frontMatter.value.length));
  let data: unknown = plainFrontMatter(frontMatter.value);
  if (data === null) {
    if (!loaded.yaml) throw notPrepared(markdown.name, 'yaml');
    const document = loaded.yaml.parseDocument(frontMatter.value, { prettyErrors: false });
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        say('front-matter', `前置元数据不是有效的 YAML：${error.message.split('\n')[0] ?? ''}`, offsetOf(error.pos[0]));
      }
      return reading;
    }
    data = document.toJS();
  }
  if (data === null || data === undefined) return reading;
  if (typeof data !== 'object' || Array.isArray(data)) {
    say('front-matter', '前置元数据应为“键: 值”的形式', frontMatter.valueStart);
    return reading;
  }
  const record = data as Record<string, unknown>;
  const keyOffset = (key: string) => {
    // A key is the document's text, not a pattern: escaped, so `a(` or `(a+)+` cannot break or stall the search.
    const match = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`, 'm').exec(frontMatter.value);
    return offsetOf(match?.index ?? 0);
  };
  const invalid = (key: string, what: string) => say('front-matter', `前置元数据“${key}”${what}，已忽略`, keyOffset(key));
  for (const key of Object.keys(record)) {
    if (!metaKeys.includes(key)) say('front-matter', `未知的前置元数据字段“${key}”，已忽略`, keyOffset(key));
  }
  const { stated } = reading;
  for (const key of ['agency', 'title', 'indexNo', 'source'] as const) {
    if (record[key] === undefined || record[key] === null) continue;
    const value = text(record[key]);
    if (value === undefined) invalid(key, '应为文字');
    else stated[key] = value;
  }
  if (record.year !== undefined && record.year !== null) {
    const year = Number(text(record.year));
    if (Number.isInteger(year) && year > 1900 && year < 2200) stated.year = year;
    else invalid('year', '应为四位年份');
  }
  if (record.published !== undefined && record.published !== null) {
    const date = normaliseDate(text(record.published) ?? '');
    if (date) stated.published = date;
    else invalid('published', '应为 YYYY-MM-DD 形式的日期');
  }
  if (record.template !== undefined && record.template !== null) {
    const template = text(record.template) as TemplateId | undefined;
    if (template && templateIds.includes(template)) reading.template = template;
    else invalid('template', '应为 "2021"、"2019" 或 "pre-2019"');
  }
  if (record.combines !== undefined && record.combines !== null) {
    const combines = strings(record.combines);
    if (combines) stated.combines = combines;
    else invalid('combines', '应为机构名称列表');
  }
  if (record.accept !== undefined && record.accept !== null) {
    const entries = Array.isArray(record.accept) ? record.accept : [record.accept];
    for (const entry of entries as Record<string, unknown>[]) {
      const ruleId = text(entry?.rule);
      const reason = text(entry?.reason);
      const cells = entry?.cells === undefined ? undefined : strings(entry.cells);
      if (!ruleId || !reason || (entry?.cells !== undefined && !cells)) {
        invalid('accept', '的每一项应写明 rule、reason（及可选的 cells 列表）');
        continue;
      }
      reading.accepted.push({ ruleId, reason, ...(cells ? { cells } : {}) });
    }
  }
  if (record.unread !== undefined && record.unread !== null) {
    const entries = Array.isArray(record.unread) ? record.unread : [record.unread];
    for (const entry of entries as Record<string, unknown>[]) {
      const cell = text(entry?.cell);
      const candidates = entry?.candidates;
      const validCandidates = Array.isArray(candidates) && candidates.every((c) => typeof c === 'number');
      if (!cell || (candidates !== undefined && !validCandidates)) {
        invalid('unread', '的每一项应写明 cell（及可选的 text、candidates）');
        continue;
      }
      reading.unread.push({ cell, text: text(entry.text) ?? '', ...(validCandidates ? { candidates: candidates as number[] } : {}) });
    }
  }
  return reading;
}

// ---------------------------------------------------------------- tables

type TableKind = 'active' | 'requests' | 'review';

function rowLabel(row: BlockRow): string {
  return row.cells[0]?.text ?? '';
}

/** Which of the three tables a GFM table is, by the labels of its rows. */
function tableKind(table: BlockTable, layout: TableLayout): TableKind | null {
  const counts: Record<TableKind, number> = { active: 0, requests: 0, review: 0 };
  const match = layoutMatchers(layout);
  for (const row of table.rows) {
    const label = rowLabel(row);
    if (match.requestRow(label)) counts.requests++;
    else if (match.activeRow(label)) counts.active++;
    else if (match.reviewGroup(label)) counts.review++;
  }
  const best = (Object.keys(counts) as TableKind[]).sort((a, b) => counts[b] - counts[a])[0] as TableKind;
  return counts[best] > 0 ? best : null;
}

function unread(reason: string, offset: number, source: Source): Cell {
  return absentCell('unread', reason, source.position(offset));
}

/** The value cell under a header column; a row shorter than its header has no such cell. */
function valueCell(source: Source, row: BlockRow, index: number | undefined, kind: ActiveRowDef['columns'][number]['kind']): Cell {
  if (index === undefined) return unread('缺少该列', row.offset, source);
  const cell = row.cells[index];
  if (!cell) return unread('该行缺少此单元格', row.offset, source);
  return readCell(cell.text, kind, source.position(cell.offset));
}

interface TableReader {
  source: Source;
  say: Say;
}

/** Header column index of each column definition, and a message for each that is missing. */
function columnIndexes<T extends { key: string; label: string }>(
  { say }: TableReader,
  table: BlockTable,
  columns: readonly T[],
  tableName: string,
): Map<string, number> {
  const indexes = new Map<string, number>();
  table.header.cells.forEach((cell, index) => {
    if (index === 0) return;
    const column = matchColumn(columns, cell.text);
    if (column && !indexes.has(column.key)) indexes.set(column.key, index);
  });
  for (const column of columns) {
    if (!indexes.has(column.key)) {
      say('column-missing', `${tableName}缺少“${column.label}”一列，该列单元格记为未读`, table.header.offset);
    }
  }
  return indexes;
}

/** How one of the three tables is read: its rows, how a row is matched, and its cells. */
interface TableSpec<Def extends { key: string; label: string }, Row> {
  name: string;
  defs: readonly Def[];
  match: (label: string) => Def | null | undefined;
  /** Called once per table before its rows (tables 三 and 四 match their header here, once). */
  cellsIn: (table: BlockTable) => (row: BlockRow, def: Def) => Row;
  /** The cells of a row the tables do not have. */
  missing: (def: Def, anchor: number) => Row;
}

/** One table's rows from every GFM table of its kind: unknown and repeated rows said and skipped, missing rows unread. */
function readTable<Def extends { key: string; label: string }, Row>(
  { say }: TableReader,
  tables: BlockTable[],
  spec: TableSpec<Def, Row>,
): Record<string, Row> {
  const result: Record<string, Row> = {};
  for (const table of tables) {
    const cellsOf = spec.cellsIn(table);
    for (const row of table.rows) {
      const def = spec.match(rowLabel(row));
      if (!def) {
        say('row-unknown', `${spec.name}中的“${rowLabel(row)}”一行不是模板中的行，已忽略`, row.offset);
        continue;
      }
      if (result[def.key]) {
        say('row-duplicate', `${spec.name}中“${def.label}”一行出现了不止一次，只读第一次出现的那一行`, row.offset);
        continue;
      }
      result[def.key] = cellsOf(row, def);
    }
  }
  const anchor = tables[0]?.start ?? 0;
  for (const def of spec.defs) {
    if (result[def.key]) continue;
    say('row-missing', `${spec.name}未找到“${def.label}”一行，其单元格记为未读`, anchor);
    result[def.key] = spec.missing(def, anchor);
  }
  return Object.fromEntries(spec.defs.map((def) => [def.key, result[def.key] as Row]));
}

function readRequests(reader: TableReader, tables: BlockTable[], layout: TableLayout): RequestsTable {
  const { source } = reader;
  return readTable(reader, tables, {
    name: '表三',
    defs: layout.requestRows,
    match: layoutMatchers(layout).requestRow,
    cellsIn: (table) => {
      const indexes = columnIndexes(reader, table, requestColumns, '表三');
      return (row) => requestColumns.map((c) => valueCell(source, row, indexes.get(c.key), 'count'));
    },
    missing: (_def, anchor) => requestColumns.map(() => unread('未找到该行', anchor, source)),
  });
}

function readActive(reader: TableReader, tables: BlockTable[], layout: TableLayout): ActiveTable {
  const { source } = reader;
  return readTable(reader, tables, {
    name: '表二',
    defs: layout.activeRows,
    match: layoutMatchers(layout).activeRow,
    // Each row of table 二 has columns of its own, so the header is matched per row.
    cellsIn: (table) => (row, def) => {
      const indexes = columnIndexes(reader, table, def.columns, `表二“${def.label}”所在表格`);
      return Object.fromEntries(def.columns.map((c) => [c.key, valueCell(source, row, indexes.get(c.key), c.kind)]));
    },
    missing: (def, anchor) => Object.fromEntries(def.columns.map((c) => [c.key, unread('未找到该行', anchor, source)])),
  });
}

function readReview(reader: TableReader, tables: BlockTable[], layout: TableLayout): ReviewTable {
  const { source } = reader;
  return readTable(reader, tables, {
    name: '表四',
    defs: reviewGroups,
    match: layoutMatchers(layout).reviewGroup,
    cellsIn: (table) => {
      const indexes = columnIndexes(reader, table, reviewColumns, '表四');
      return (row) => Object.fromEntries(reviewColumns.map((c) => [c.key, valueCell(source, row, indexes.get(c.key), 'count')]));
    },
    missing: (_group, anchor) => Object.fromEntries(reviewColumns.map((c) => [c.key, unread('未找到该行', anchor, source)])),
  });
}

/** Cells the front matter lists as unread: an empty cell takes that state back. */
function applyUnreadNotes(tables: Tables, notes: UnreadNote[], frontMatter: FrontMatter, say: Say): void {
  for (const note of notes) {
    const cell = cellAt(tables, note.cell);
    if (!cell) {
      say('front-matter', `前置元数据 unread 中的“${note.cell}”不是表中的单元格，已忽略`, frontMatter.valueStart);
      continue;
    }
    if (cell.state === 'unread') continue;
    if (cell.state !== 'blank') {
      say('front-matter', `单元格“${note.cell}”已在表中填写，前置元数据 unread 中的这一项可以删除`, frontMatter.valueStart, [note.cell]);
      continue;
    }
    setCellAt(tables, note.cell, {
      state: note.candidates ? 'ambiguous' : 'unread',
      value: null,
      text: note.text,
      position: cell.position,
      ...(note.candidates ? { candidates: note.candidates } : {}),
    });
  }
}

// ---------------------------------------------------------------- sections

function readSections(source: Source, headings: { depth: number; text: string; start: number; end: number }[], tables: BlockTable[], from: number) {
  const spans: SectionSpan[] = [];
  let after = -1;
  for (const heading of headings) {
    if (heading.depth !== 2) continue;
    const index = sectionByMeaning(heading.text, after);
    const def = sectionDefs[index];
    if (!def) continue;
    spans.push({ id: def.id, title: heading.text, headingStart: heading.start, bodyStart: heading.end, end: source.text.length });
    after = index;
  }
  spans.forEach((span, i) => {
    const next = spans[i + 1];
    if (next) span.end = next.headingStart;
  });
  const sections: Section[] = spans.map((span) => {
    let prose = '';
    let cursor = span.bodyStart;
    for (const table of tables) {
      if (table.start < span.bodyStart || table.start >= span.end) continue;
      prose += source.text.slice(cursor, table.start);
      cursor = Math.max(cursor, table.end);
    }
    prose += source.text.slice(cursor, span.end);
    return {
      id: span.id,
      title: span.title,
      text: prose.replace(/\n{3,}/g, '\n\n').trim(),
      position: source.position(span.headingStart),
    };
  });
  return { spans, sections, messages: missingSectionMessages(source, spans, from) };
}

// ---------------------------------------------------------------- adapter

export const markdown: Adapter = {
  id: 'markdown',
  name: 'Markdown（带前置元数据）',
  detect(source) {
    if (!['md', 'markdown'].includes(source.extension)) return 0;
    return /^---[ \t]*\n/.test(source.text) ? 0.95 : 0;
  },
  async prepare(source) {
    const blocks = source ? scanFast(source.text) : null;
    if (source) scannedBlocks.set(source, blocks);
    // Front matter read by remark is not known until then: the YAML parser is loaded with it.
    if (!blocks) loaded.remark ??= await import('./markdown-blocks.js');
    if (!blocks || (blocks.frontMatter && plainFrontMatter(blocks.frontMatter.value) === null)) loaded.yaml ??= await import('yaml');
  },
  read(source, context): Reading {
    const blocks = blocksOf(source);
    const messages: Message[] = [];
    const say = messenger(source, messages);
    const frontMatter = blocks.frontMatter;
    const meta: FrontMatterReading = frontMatter
      ? readFrontMatter(frontMatter, say)
      : { stated: {}, accepted: [], unread: [] };
    const template = meta.template ?? context.template;
    const layout: TableLayout | null = template === '2021' || template === '2019' ? layouts[template] : null;
    const bodyStart = frontMatter?.end ?? 0;

    const tables: Tables = { active: null, requests: null, review: null };
    const recognised: BlockTable[] = [];
    if (layout) {
      const byKind: Record<TableKind, BlockTable[]> = { active: [], requests: [], review: [] };
      for (const table of blocks.tables) {
        const kind = tableKind(table, layout);
        if (!kind) continue;
        byKind[kind].push(table);
        recognised.push(table);
      }
      const reader = { source, say };
      if (byKind.active.length > 0) tables.active = readActive(reader, byKind.active, layout);
      if (byKind.requests.length > 0) tables.requests = readRequests(reader, byKind.requests, layout);
      if (byKind.review.length > 0) tables.review = readReview(reader, byKind.review, layout);
      if (frontMatter) applyUnreadNotes(tables, meta.unread, frontMatter, say);
    }
    const { sections, messages: sectionMessages } = readSections(source, blocks.headings, recognised, bodyStart);
    return {
      stated: meta.stated,
      body: source.text.slice(bodyStart),
      sections,
      tables,
      messages: [...sectionMessages, ...messages],
      accepted: meta.accepted,
      ...(meta.template ? { template: meta.template } : {}),
    };
  },
};
