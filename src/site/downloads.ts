/**
 * Data downloads: each report's JSON (the shape `nianbao parse --json`
 * prints), one CSV per table, and one CSV of every report's key figures.
 * CSVs are long-format (one cell per line) so a missing cell is a state,
 * never an empty number that a spreadsheet could sum as 0.
 */
import {
  layouts,
  requestColumns,
  reviewColumns,
  reviewGroups,
  sections,
  reviewGroupLabel,
  type TableLayout,
} from '../template/layout.js';
import type { Cell, Report } from '../template/model.js';
import { toReportJson } from '../template/schema.js';
import type { KeyedRows } from './keyed-rows.js';
import { keyFigure, keyFigureDefs } from './view/key-figures.js';

const BOM = '\ufeff';

/** A CSV field; text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const guarded = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

const cellHeader = ['row', 'row_label', 'column', 'column_label', 'state', 'value', 'text'];

/** One line of a table's CSV before its cell: the row and column, each key and label as CSV fields, with the cell they name. */
interface CellLine<Table> {
  /** `row,row_label,column,column_label,` as written. */
  opening: string;
  cellOf: (table: Table) => Cell | undefined;
}

function cellLine<Table>(rowKey: string, rowLabel: string, columnKey: string, columnLabel: string, cellOf: (table: Table) => Cell | undefined): CellLine<Table> {
  return { opening: `${[rowKey, rowLabel, columnKey, columnLabel].map(csvField).join(',')},`, cellOf };
}

/** A table's CSV: the lines' openings are the layout's (made once), only the cells differ from report to report. */
function cellsCsv<Table>(lines: readonly CellLine<Table>[], table: Table): string {
  let out = `${BOM}${cellHeader.join(',')}\r\n`;
  for (const line of lines) {
    const cell = line.cellOf(table);
    const value = cell && cell.state === 'number' ? cell.value : null;
    out += `${line.opening}${csvField(cell?.state ?? 'missing')},${csvField(value)},${csvField(cell?.text ?? null)}\r\n`;
  }
  return out;
}

export interface TableCsv {
  name: string;
  label: string;
  content: string;
}

function title(id: string): string {
  return sections.find((s) => s.id === id)?.title ?? id;
}

type Tables = Report['tables'];
type TableLines = {
  active: CellLine<NonNullable<Tables['active']>>[];
  requests: CellLine<NonNullable<Tables['requests']>>[];
  review: CellLine<NonNullable<Tables['review']>>[];
};

/** Each layout's CSV lines, made on first use (thousands of reports share two layouts). */
const linesOfLayout = new Map<TableLayout, TableLines>();

function tableLines(layout: TableLayout): TableLines {
  let lines = linesOfLayout.get(layout);
  if (!lines) {
    lines = {
      active: layout.activeRows.flatMap((row) =>
        row.columns.map((c) => cellLine(row.key, row.label, c.key, c.label, (active: NonNullable<Tables['active']>) => active[row.key]?.[c.key])),
      ),
      requests: layout.requestRows.flatMap((row) =>
        requestColumns.map((c, i) =>
          cellLine(row.key, row.group && !row.label.startsWith('（') ? `${row.group}${row.label}` : row.label, c.key, c.label, (requests: NonNullable<Tables['requests']>) => requests[row.key]?.[i]),
        ),
      ),
      review: reviewGroups.flatMap((g) =>
        reviewColumns.map((c) => cellLine(g.key, reviewGroupLabel(g), c.key, c.label, (review: NonNullable<Tables['review']>) => review[g.key]?.[c.key])),
      ),
    };
    linesOfLayout.set(layout, lines);
  }
  return lines;
}

export function tableCsvs(report: Report): TableCsv[] {
  if (report.template !== '2021' && report.template !== '2019') return [];
  const lines = tableLines(layouts[report.template]);
  const { active, requests, review } = report.tables;
  const out: TableCsv[] = [];
  if (active) out.push({ name: 'table-2-active.csv', label: `表${title('active')}`, content: cellsCsv(lines.active, active) });
  if (requests) out.push({ name: 'table-3-requests.csv', label: `表${title('requests')}`, content: cellsCsv(lines.requests, requests) });
  if (review) out.push({ name: 'table-4-review.csv', label: `表${title('review')}`, content: cellsCsv(lines.review, review) });
  return out;
}

export function reportJson(report: Report): string {
  try {
    return JSON.stringify(toReportJson(report), null, 2) + '\n';
  } catch (error) {
    // The model failed its own schema: say so rather than publish an unchecked shape.
    const reason = error instanceof Error ? error.message : String(error);
    return JSON.stringify({ error: `此报告的数据未通过 JSON 模式校验：${reason}` }, null, 2) + '\n';
  }
}

/** A report as the key figures' download lists it. */
export interface KeyFiguresEntry {
  body: string;
  year: number | null;
  report: Report;
  /** listedKeyOf the report: its key figures, and the rest of what its lines are made from besides body, year and file. */
  listed: string;
}

/**
 * The key figures' download as keyed rows (keyed-rows.ts): after the BOM
 * and header, a row per report of one line per figure (tens of thousands
 * at 10,000 reports), each line ended by CRLF, keyed by what the lines show.
 * The fields of the report and of the figure are escaped once, not on every
 * line.
 */
export function keyFiguresRows(entries: readonly KeyFiguresEntry[]): KeyedRows {
  const figureFields = keyFigureDefs.map((def) => `${csvField(def.key)},${csvField(def.label)},`);
  return {
    head: BOM + ['body', 'year', 'file', 'figure', 'figure_label', 'value', 'why_no_value'].map(csvField).join(','),
    tail: '\r\n',
    keys: entries.map(({ listed, body, year, report }) => `${listed}\0${body}\0${year}\0${report.file}`),
    row(index) {
      const { body, year, report } = entries[index] as KeyFiguresEntry;
      const reportFields = `${csvField(body)},${csvField(year)},${csvField(report.file)},`;
      let lines = '';
      keyFigureDefs.forEach((def, i) => {
        const figure = keyFigure(report, def);
        lines += `\r\n${reportFields}${figureFields[i]}${csvField(figure.value)},${csvField(figure.value === null ? figure.text : null)}`;
      });
      return lines;
    },
  };
}
