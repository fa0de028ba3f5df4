/**
 * A report back in nianbao's Markdown authoring form (docs/authoring.md), as
 * `nianbao import` writes it. Every cell keeps its published text; a cell
 * that could not be read is left empty in the table and listed under
 * `unread` in the front matter, so that reading the file again gives the same
 * numbers, the same absences and the same unread cells.
 */
import { Document, isScalar, visit } from 'yaml';
import { readCell } from '../template/cell-text.js';
import {
  layouts,
  requestColumns,
  reviewColumns,
  reviewGroups,
  sections as sectionDefs,
  type ActiveRowDef,
  type CellKind,
  type RequestRowDef,
  type TableLayout,
  reviewGroupLabel,
} from '../template/layout.js';
import type { Cell, Report, Section } from '../template/model.js';
import { cellRef, sectionByMeaning } from '../parse/markdown-tables.js';
import type { UnreadNote } from '../parse/markdown.js';

/** The text a cell is written as, or null when it cannot be written and goes to `unread`. */
function cellText(cell: Cell | undefined, kind: CellKind): string | null {
  if (!cell || cell.state === 'unread' || cell.state === 'ambiguous') return null;
  const published = cell.text.trim();
  // The published text is kept where it reads back to the same cell; otherwise its value or state.
  const again = readCell(published, kind, null);
  if (again.state === cell.state && again.value === cell.value) return published.replace(/\|/g, '\\|');
  if (cell.state === 'number') return String(cell.value);
  return { blank: '', slash: '/', dash: '—', none: '无' }[cell.state];
}

class TableWriter {
  readonly unread: UnreadNote[] = [];

  cell(cell: Cell | undefined, kind: CellKind, ref: string): string {
    const text = cellText(cell, kind);
    if (text !== null) return text;
    this.unread.push({
      cell: ref,
      text: cell?.text ?? '',
      ...(cell?.state === 'ambiguous' && cell.candidates ? { candidates: cell.candidates } : {}),
    });
    return '';
  }
}

function gfmTable(header: string[], rows: string[][]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function activeTables(report: Report, layout: TableLayout, writer: TableWriter): string {
  const blocks = new Map<string, ActiveRowDef[]>();
  for (const row of layout.activeRows) blocks.set(row.block, [...(blocks.get(row.block) ?? []), row]);
  return [...blocks.entries()]
    .map(([block, rows]) => {
      const columns = rows[0]?.columns ?? [];
      return gfmTable(
        [`第二十条第${block}项`, ...columns.map((c) => c.label)],
        rows.map((row) => [
          row.label,
          ...row.columns.map((c) => writer.cell(report.tables.active?.[row.key]?.[c.key], c.kind, cellRef('active', row.key, c.key))),
        ]),
      );
    })
    .join('\n\n');
}

/** 三、本年度办理结果（一）予以公开, （三）不予公开 1.属于国家秘密: the group is named at its first row. */
function requestRowLabel(row: RequestRowDef, previous: RequestRowDef | undefined): string {
  if (!row.group || previous?.group === row.group) return row.label;
  return /^\d/.test(row.label) ? `${row.group} ${row.label}` : `${row.group}${row.label}`;
}

function requestsTable(report: Report, layout: TableLayout, writer: TableWriter): string {
  return gfmTable(
    ['项目', ...requestColumns.map((c) => c.label)],
    layout.requestRows.map((row, i) => [
      requestRowLabel(row, layout.requestRows[i - 1]),
      ...requestColumns.map((c, ci) =>
        writer.cell(report.tables.requests?.[row.key]?.[ci], 'count', cellRef('requests', row.key, c.key)),
      ),
    ]),
  );
}

function reviewTable(report: Report, writer: TableWriter): string {
  return gfmTable(
    ['类别', ...reviewColumns.map((c) => c.label)],
    reviewGroups.map((g) => [
      reviewGroupLabel(g),
      ...reviewColumns.map((c) => writer.cell(report.tables.review?.[g.key]?.[c.key], 'count', cellRef('review', g.key, c.key))),
    ]),
  );
}

/** YAML with lists of plain values on one line: `cells: [requests.carriedOver.total]`. */
function yaml(value: Record<string, unknown>): string {
  const document = new Document(value);
  visit(document, {
    Seq(_, node) {
      if (node.items.every(isScalar)) node.flow = true;
    },
  });
  return document.toString({ lineWidth: 0 });
}

function frontMatter(report: Report, unread: UnreadNote[]): string {
  const { meta } = report;
  const fields: Record<string, unknown> = {};
  if (meta.agency) fields.agency = meta.agency;
  if (meta.year !== null) fields.year = meta.year;
  if (meta.title) fields.title = meta.title;
  if (meta.published) fields.published = meta.published;
  if (meta.indexNo) fields.indexNo = meta.indexNo;
  if (report.template !== 'unknown') fields.template = report.template;
  if (meta.source) fields.source = meta.source;
  if (meta.combines && meta.combines.length > 0) fields.combines = meta.combines;
  if (report.accepted.length > 0) {
    fields.accept = report.accepted.map((a) => ({ rule: a.ruleId, ...(a.cells ? { cells: a.cells } : {}), reason: a.reason }));
  }
  let text = yaml(fields);
  if (unread.length > 0) {
    text +=
      '# 以下单元格在原文件中未能确定读数（不是空白单元格）：表中留空，text 为原文或原因，candidates 为可能的读数。\n' +
      '# 核对原文后把数字填入表中，并删去对应的一项。\n' +
      yaml({ unread });
  }
  return `---\n${text}---\n`;
}

/** The heading a section is written under: its published title where that still names it, else the template's. */
function headingOf(section: Section | undefined, index: number, after: number): string {
  const def = sectionDefs[index];
  const title = section?.title.replace(/\s+/g, ' ').trim();
  if (title && sectionByMeaning(title, after) === index) return title;
  return def?.title ?? title ?? '';
}

export function toAuthoringMarkdown(report: Report): string {
  const layout = report.template === '2021' || report.template === '2019' ? layouts[report.template] : null;
  const writer = new TableWriter();
  const tableOf: Record<string, string | null> = {
    active: layout && report.tables.active ? activeTables(report, layout, writer) : null,
    requests: layout && report.tables.requests ? requestsTable(report, layout, writer) : null,
    review: layout && report.tables.review ? reviewTable(report, writer) : null,
  };
  const parts: string[] = [];
  if (!layout) {
    // Reports without the national tables keep their sections as read.
    for (const section of report.sections) parts.push(`## ${section.title}\n\n${section.text}`.trim());
  } else {
    let after = -1;
    sectionDefs.forEach((def, index) => {
      const section = report.sections.find((s) => s.id === def.id);
      const table = tableOf[def.id] ?? null;
      if (!section && table === null) return;
      const heading = headingOf(section, index, after);
      after = index;
      parts.push([`## ${heading}`, section?.text.trim() ?? '', table ?? ''].filter((p) => p !== '').join('\n\n'));
    });
  }
  return `${frontMatter(report, writer.unread)}\n${parts.join('\n\n')}\n`;
}
