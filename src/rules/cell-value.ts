/** cell-value: counts are non-negative integers; the fee is a decimal ≥ 0. */
import { toHalfWidthDigits } from '../template/cell-text.js';
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { cellAt, layoutOf, RuleFindings, slotRef, tableNames, unusualSlots } from './cells.js';
import type { ReportRule } from './types.js';

const NUMBER_LIKE = /^[-−－]?\d+(?:\.\d+)?$/;
const SPACES = /[\s\u00a0\u3000]+/g;

export const cellValue: ReportRule = {
  id: 'cell-value',
  scope: 'report',
  severity: 'error',
  title: '数值合法',
  description: '件数应为非负整数，收费金额应为不小于 0 的数。负数或小数的件数说明表中数字有误（2019 年试行格式中的“本年增/减”可为负数）。',
  basis: 'structural',
  basisText: '表中各栏为件数或金额',
  examples: {
    pass: [{ title: '件数为整数，收费金额保留原有小数', markdown: exampleReport({ active: { fees: ['12.50'] } }) }],
    fail: [{ title: '行政许可写成 -3', markdown: exampleReport({ active: { licensing: [-3] } }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(cellValue);
    const layout = layoutOf(report);
    if (!layout) return found.messages;
    for (const slot of unusualSlots(report, layout)) {
      const cell = cellAt(report, slot);
      if (!cell) continue;
      const { table, kind } = slot;
      let value: number | null = null;
      if (cell.state === 'number') value = cell.value;
      else if (cell.state === 'unread') {
        // A published "-3" or "2.5" is a wrong figure, not an unreadable one.
        const text = toHalfWidthDigits(cell.text.replace(SPACES, '')).replace(/[−－]/, '-');
        if (NUMBER_LIKE.test(text)) value = Number(text);
      }
      if (value === null) continue;
      const negativeAllowed = kind === 'signedCount';
      const fractionAllowed = kind === 'decimal';
      if ((value < 0 && !negativeAllowed) || (!Number.isInteger(value) && !fractionAllowed)) {
        const expected = kind === 'decimal' ? '不小于 0 的数' : '非负整数';
        found.add(`${tableNames[table]}“${slot.name}”为 ${cell.text.trim() || value}，应为${expected}`, [slotRef(report, slot)], cell.position);
      }
    }
    return found.done();
  },
};
