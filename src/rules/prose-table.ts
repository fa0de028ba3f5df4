/** prose-table: figures stated in the prose equal the table. */
import { activeRows2021, reviewColumns, reviewGroups, type RequestRowDef, type TableLayout } from '../template/layout.js';
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import {
  absenceText,
  activeCell,
  applicantColumnIndexes,
  isStatedAbsence,
  layoutOf,
  requestCell,
  reviewCell,
  RuleFindings,
  totalColumnIndex,
  valueOf,
  type CellRef,
} from './cells.js';
import { proseClaims, rowKeysOf, type Claim } from './prose-figures.js';
import type { ReportRule } from './types.js';

const reviewTotal = reviewColumns.find((c) => c.key === 'total')!;

/**
 * A figure of the table as far as it is known: exact, or (where a stated
 * absence stands for an unknown count ≥ 0) only a lower bound; null when a
 * cell is unread or ambiguous.
 */
interface Known {
  low: number;
  exact: boolean;
  cells: CellRef[];
  unreadable: CellRef[];
}

/** The rows a reading names, found once per layout and reading (the readings are the patterns' fixed lists). */
const rowsOfReading = new Map<TableLayout, Map<readonly string[], RequestRowDef[]>>();
function rowsNamed(layout: TableLayout, rowKeys: readonly string[]): RequestRowDef[] {
  let byReading = rowsOfReading.get(layout);
  if (!byReading) rowsOfReading.set(layout, (byReading = new Map()));
  let rows = byReading.get(rowKeys);
  if (!rows) {
    const keys = new Set(rowKeysOf(rowKeys, layout.requestRows.map((r) => r.key)));
    byReading.set(rowKeys, (rows = layout.requestRows.filter((r) => keys.has(r.key))));
  }
  return rows;
}

function requestFigure(report: Report, rowKeys: readonly string[], columns: number[] | undefined): Known {
  const layout = layoutOf(report)!;
  const known: Known = { low: 0, exact: true, cells: [], unreadable: [] };
  const rows = rowsNamed(layout, rowKeys);
  for (const row of rows) {
    for (const column of columns ?? [totalColumnIndex]) {
      const ref = requestCell(report, row, column);
      known.cells.push(ref);
      const value = valueOf(ref);
      if (value !== null) {
        known.low += value;
        continue;
      }
      if (!isStatedAbsence(ref.cell)) {
        known.unreadable.push(ref);
        continue;
      }
      // A blank 总计: the applicant cells that are filled in still bound it from below.
      known.exact = false;
      if (column === totalColumnIndex)
        for (const c of applicantColumnIndexes) known.low += valueOf(requestCell(report, row, c)) ?? 0;
    }
  }
  return known;
}

function otherFigure(report: Report, claim: Claim, keys: string[]): Known {
  const known: Known = { low: 0, exact: true, cells: [], unreadable: [] };
  for (const key of keys) {
    let ref: CellRef | undefined;
    if (claim.target.table === 'review') {
      const group = reviewGroups.find((g) => g.key === key);
      if (group) ref = reviewCell(report, group, reviewTotal);
    } else {
      const [rowKey, column] = key.split('.') as [string, string];
      const row = activeRows2021.find((r) => r.key === rowKey);
      if (row) ref = activeCell(report, row, column);
    }
    if (!ref) continue;
    known.cells.push(ref);
    const value = valueOf(ref);
    if (value !== null) known.low += value;
    else if (isStatedAbsence(ref.cell)) known.exact = false;
    else known.unreadable.push(ref);
  }
  return known;
}

export const proseTable: ReportRule = {
  id: 'prose-table',
  scope: 'report',
  severity: 'warning',
  title: '正文与表格一致',
  description:
    '正文中关于表格的数字（收到、受理申请 N 件，办结 N 件，结转 N 件，予以公开 N 件，行政复议 N 件，现行有效规范性文件 N 件等）应与表格相同。只核对能确定对应单元格的说法；“其中”引出的部分、同比变化、日期、文号、百分比不作比较。“收到（受理）申请”既可能指本年新收，也可能含上年结转，两种读法都不符时才提示。',
  basis: 'official',
  basisText: '国办公开办函〔2021〕30号：数据准确',
  examples: {
    pass: [{ title: '正文“共收到申请1件”，表三新收 1 件', markdown: exampleReport() }],
    fail: [{ title: '正文“共收到申请17件”，表三新收 1 件', markdown: exampleReport({ overview: '本报告所列数据统计期限为2024年1月1日至12月31日。本年共收到政府信息公开申请17件，均已按时答复。' }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(proseTable);
    const layout = layoutOf(report);
    if (!layout) return found.messages;
    for (const claim of proseClaims(report)) {
      const { target } = claim;
      if (target.table === 'requests' && !report.tables.requests) continue;
      if (target.table === 'review' && !report.tables.review) continue;
      if (target.table === 'active' && (report.template !== '2021' || !report.tables.active)) continue;
      const readings = target.readings.map((keys) =>
        target.table === 'requests' ? requestFigure(report, keys, target.columns) : otherFigure(report, claim, keys),
      );
      const main = readings[0] as Known;
      if (main.cells.length === 0) continue;
      if (readings.some((r) => r.exact && r.unreadable.length === 0 && r.low === claim.value)) continue;
      const unreadable = readings.flatMap((r) => r.unreadable);
      // An ambiguous cell one of whose readings is the stated figure cannot be contradicted.
      const single = unreadable.length === 1 && main.cells.length === 1 ? unreadable[0] : undefined;
      if (single?.cell?.candidates?.includes(claim.value)) continue;
      if (unreadable.length > 0) {
        found.unassessable(`正文“${claim.sentence}”中的 ${claim.value} 件`, [...new Set(unreadable)]);
        continue;
      }
      // With blanks the table gives a lower bound: only a claim below it is a contradiction.
      if (readings.some((r) => !r.exact && claim.value >= r.low)) continue;
      const shown = readings
        .map((r) => `${r.cells.length === 1 ? (r.cells[0] as CellRef).name : r.cells.map((c) => c.name).join(' + ')} ${r.exact ? '为' : '已填数字之和至少为'} ${r.low}`)
        .join('；或 ');
      const blanks = readings[0]!.cells.filter((c) => isStatedAbsence(c.cell));
      const blankNote = blanks.length ? `（其中 ${blanks.map(absenceText).join('、')}）` : '';
      const scope = claim.subject ? `正文所述主体为“${claim.subject}”，可能与表格统计口径不同，请核实并在正文中说明；` : '';
      found.add(
        `正文称${target.name} ${claim.value} 件：“${claim.sentence}”；但表中 ${shown}${blankNote}。${scope}`.replace(/；$/, ''),
        main.cells,
        main.cells[0]?.cell?.position ?? null,
      );
    }
    return found.done();
  },
};
