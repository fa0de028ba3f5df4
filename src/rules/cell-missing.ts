/** cell-missing: cells left blank or written "/", "—", "无" instead of a number. */
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { absenceText, cellAt, isStatedAbsence, layoutOf, RuleFindings, slotRef, tableNames, unusualSlots, type CellRef } from './cells.js';
import type { ReportRule } from './types.js';

export const cellMissing: ReportRule = {
  id: 'cell-missing',
  scope: 'report',
  severity: 'warning',
  title: '单元格未填数字',
  description: '表中单元格空白，或写“/”“—”“无”而不是数字。没有发生的事项应填 0；空白单元格不按 0 计算，相关合计无法核对。每张表报告一次，列出这些单元格。',
  basis: 'official',
  basisText: '国办公开办函〔2021〕30号：数据准确、要素齐备',
  examples: {
    pass: [{ title: '没有发生的事项填 0', markdown: exampleReport() }],
    fail: [{ title: '行政复议一行写“/”', markdown: exampleReport({ review: { reconsideration: ['/', '/', '/', '/', '/'] } }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(cellMissing);
    const byTable = new Map<keyof typeof tableNames, CellRef[]>();
    const layout = layoutOf(report);
    if (!layout) return found.messages;
    for (const slot of unusualSlots(report, layout)) {
      if (!isStatedAbsence(cellAt(report, slot))) continue;
      const refs = byTable.get(slot.table);
      if (refs) refs.push(slotRef(report, slot));
      else byTable.set(slot.table, [slotRef(report, slot)]);
    }
    for (const [table, refs] of byTable) {
      const listed = refs.slice(0, 6).map(absenceText).join('、');
      const more = refs.length > 6 ? ` 等` : '';
      found.add(`${tableNames[table]}有 ${refs.length} 个单元格未填数字：${listed}${more}`, refs, null);
    }
    return found.done();
  },
};
