/**
 * The in-memory report model every adapter produces. Cells keep their source
 * position and their published text, so that rules can point at them and the
 * site can show exactly what was printed.
 */
import { requestColumnKeys, type RequestColumnKey, type SectionId, type TemplateId } from './layout.js';

/**
 * What a cell holds. Only `number` carries a value; every other state is a
 * stated or detected absence and is never read as 0.
 */
export type CellState =
  | 'number'
  | 'blank' // nothing printed
  | 'slash' // "/" or "／"
  | 'dash' // "—", "-", "－"
  | 'none' // "无"
  | 'unread' // something printed that could not be read with certainty
  | 'ambiguous'; // several readings fit every relation of the table

export interface Position {
  line: number;
  column: number;
}

export interface Cell {
  state: CellState;
  value: number | null;
  /** The text as published (for the fee, its decimal with its precision). */
  text: string;
  position: Position | null;
  /** For ambiguous cells: the values the candidate readings give. */
  candidates?: number[];
}

export type Severity = 'error' | 'warning' | 'info';

/** A positioned message, in the spirit of vfile-message. */
export interface Message {
  ruleId: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  /** Cell references such as `requests.newReceived.total`. */
  cells?: string[];
  /** Set when the finding matches an accepted exception. */
  accepted?: string;
}

export interface Section {
  id: SectionId;
  title: string;
  /** Prose as Markdown (for text forms: paragraphs separated by blank lines). */
  text: string;
  position: Position | null;
}

export type ActiveTable = Record<string, Record<string, Cell>>;
export type RequestsTable = Record<string, Cell[]>;
export type ReviewTable = Record<string, Record<string, Cell>>;

export interface Tables {
  active: ActiveTable | null;
  requests: RequestsTable | null;
  review: ReviewTable | null;
}

export interface Meta {
  agency: string | null;
  year: number | null;
  title: string | null;
  published: string | null;
  indexNo: string | null;
  /** Bodies a combined report (本级政府汇总) declares it sums. */
  combines?: string[];
  /** The file a Markdown report was imported from. */
  source?: string;
}

/** A finding the publisher knows of and accepts, with the reason. */
export interface Acceptance {
  ruleId: string;
  cells?: string[];
  reason: string;
}

export interface Report {
  /** Path as given (relative to the content folder when built). */
  file: string;
  /** The adapter that read it. */
  form: string;
  template: TemplateId;
  meta: Meta;
  sections: Section[];
  tables: Tables;
  messages: Message[];
  accepted: Acceptance[];
}

export function numberCell(value: number, text: string, position: Position | null): Cell {
  return { state: 'number', value, text, position };
}

export function absentCell(state: Exclude<CellState, 'number'>, text: string, position: Position | null): Cell {
  return { state, value: null, text, position };
}

export function emptyReport(file: string, form: string): Report {
  return {
    file,
    form,
    template: 'unknown',
    meta: { agency: null, year: null, title: null, published: null, indexNo: null },
    sections: [],
    tables: { active: null, requests: null, review: null },
    messages: [],
    accepted: [],
  };
}

/** Every cell of a report's tables with its reference (`requests.newReceived.total`), in table order. */
export function tableCells(tables: Tables): { ref: string; cell: Cell }[] {
  const cells: { ref: string; cell: Cell }[] = [];
  for (const [row, columns] of Object.entries(tables.active ?? {}))
    for (const [column, cell] of Object.entries(columns)) cells.push({ ref: `active.${row}.${column}`, cell });
  for (const [row, columns] of Object.entries(tables.requests ?? {}))
    columns.forEach((cell, i) => cells.push({ ref: `requests.${row}.${requestColumnKeys[i]}`, cell }));
  for (const [group, columns] of Object.entries(tables.review ?? {}))
    for (const [column, cell] of Object.entries(columns)) cells.push({ ref: `review.${group}.${column}`, cell });
  return cells;
}

/** The parts of a reference such as `requests.newReceived.total`: table, row key, column key. */
export function refParts(ref: string): { table: string; row: string; column: string } | undefined {
  const [table = '', ...rest] = ref.split('.');
  const column = rest.pop();
  return column === undefined ? undefined : { table, row: rest.join('.'), column };
}

/** The cell a reference names, or undefined when the tables have no such cell. */
export function cellAt(tables: Tables, ref: string): Cell | undefined {
  return cellReader(ref)(tables);
}

/**
 * cellAt of one reference, its parts read once: for a caller reading the
 * same cells of thousands of reports (the site's key figures).
 */
export function cellReader(ref: string): (tables: Tables) => Cell | undefined {
  const parts = refParts(ref);
  if (!parts) return () => undefined;
  const { table, row, column } = parts;
  if (table === 'requests') {
    const index = requestColumnKeys.indexOf(column as RequestColumnKey);
    return (tables) => tables.requests?.[row]?.[index];
  }
  if (table === 'active') return (tables) => tables.active?.[row]?.[column];
  if (table === 'review') return (tables) => tables.review?.[row]?.[column];
  return () => undefined;
}

/** Replaces the cell a reference names; false when there is none. */
export function setCellAt(tables: Tables, ref: string, cell: Cell): boolean {
  const parts = refParts(ref);
  if (!parts || cellAt(tables, ref) === undefined) return false;
  const { table, row, column } = parts;
  if (table === 'requests') tables.requests![row]![requestColumnKeys.indexOf(column as RequestColumnKey)] = cell;
  else if (table === 'active') tables.active![row]![column] = cell;
  else tables.review![row]![column] = cell;
  return true;
}
