/** carry-over: this year's 二、上年结转 equals last year's 四、结转下年度继续办理, column by column. */
import { requestColumns, requestRows2021 } from '../template/layout.js';
import type { Message, Report } from '../template/model.js';
import { consecutivePairs, reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import { absenceText, requestCell, requestValue, valueOf, type CellRef } from './cells.js';
import type { CollectionRule } from './types.js';

const carriedOverRow = requestRows2021.find((r) => r.key === 'carriedOver')!;
const carriedForwardRow = requestRows2021.find((r) => r.key === 'carriedForward')!;

const withForward = (figures: number[]) => ({ newReceived: [1, 0, 0, 0, 0, 0, 1], granted: [0, 0, 0, 0, 0, 0, 0], totalProcessed: [0, 0, 0, 0, 0, 0, 0], carriedForward: figures });

/** A cell of last year's report, named with its year. */
function previousRef(ref: CellRef, year: number): CellRef {
  return { ...ref, ref: `${ref.ref}@${year}`, name: `${year} 年${ref.name}` };
}

/** Every column a number on both sides, and equal: nothing to report, no reference made. */
function carriedOverAgrees(previous: Report, current: Report): boolean {
  for (let c = 0; c < requestColumns.length; c++) {
    const now = requestValue(current, carriedOverRow, c);
    if (now === null || now !== requestValue(previous, carriedForwardRow, c)) return false;
  }
  return true;
}

export const carryOver: CollectionRule = {
  id: 'carry-over',
  scope: 'collection',
  withinBody: true,
  severity: 'error',
  title: '上年结转衔接',
  description:
    '同一机关相邻两年：本年的二、上年结转政府信息公开申请数量，每一列都应等于上一年报告的四、结转下年度继续办理。机构改革、机关合并或撤销、更正过的上年报告、首个报告年度是合理的例外，可记录为已接受的例外并写明理由。',
  basis: 'definitional',
  basisText: '上一年结转下年度继续办理的申请，就是本年的上年结转申请',
  examples: {
    pass: [{ title: '2023 年结转 1 件，2024 年上年结转 1 件', previous: exampleReport({ year: 2023, requests: withForward([1, 0, 0, 0, 0, 0, 1]) }),
      markdown: exampleReport({ year: 2024, requests: { newReceived: [0, 0, 0, 0, 0, 0, 0], carriedOver: [1, 0, 0, 0, 0, 0, 1], granted: [1, 0, 0, 0, 0, 0, 1], totalProcessed: [1, 0, 0, 0, 0, 0, 1] } }) }],
    fail: [{ title: '2023 年结转 1 件，2024 年上年结转写 0 件', previous: exampleReport({ year: 2023, requests: withForward([1, 0, 0, 0, 0, 0, 1]) }),
      markdown: exampleReport({ year: 2024 }) }],
  },
  check(reports: readonly Report[]) {
    const out: { file: string; message: Message }[] = [];
    for (const [previous, current] of consecutivePairs(reports)) {
      if (!previous.tables.requests || !current.tables.requests) continue;
      if (carriedOverAgrees(previous, current)) continue;
      const lastYear = reportYear(previous) as number;
      const year = reportYear(current) as number;
      const differences: string[] = [];
      const cells: CellRef[] = [];
      const missing: CellRef[] = [];
      requestColumns.forEach((column, c) => {
        const now = requestCell(current, carriedOverRow, c);
        const before = previousRef(requestCell(previous, carriedForwardRow, c), lastYear);
        const a = valueOf(now);
        const b = valueOf(before);
        if (a === null || b === null) {
          if (a === null) missing.push(now);
          if (b === null) missing.push(before);
          return;
        }
        if (a !== b) {
          differences.push(`${column.label} ${a} ≠ ${b}`);
          cells.push(now, before);
        }
      });
      const at = requestCell(current, carriedOverRow, requestColumns.length - 1).cell?.position ?? { line: 1, column: 1 };
      if (differences.length > 0) {
        out.push({ file: current.file, message: {
          ruleId: carryOver.id, severity: 'error', line: at.line, column: at.column, cells: cells.map((c) => c.ref),
          message: `${year} 年二、上年结转与 ${lastYear} 年（${previous.file}）四、结转下年度继续办理不一致：${differences.join('；')}` } });
      }
      if (missing.length > 0) {
        out.push({ file: current.file, message: {
          ruleId: carryOver.id, severity: 'warning', line: at.line, column: at.column, cells: missing.map((c) => c.ref),
          message: `无法与 ${lastYear} 年报告核对上年结转（含非数字单元格，不按 0 计算）：${missing.map(absenceText).join('、')}` } });
      }
    }
    return out;
  },
};
