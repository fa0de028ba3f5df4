/** requests-balance: the printed relation of every column of table 三. */
import { requestColumns, requestsBalanceNote } from '../template/layout.js';
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { requestRowsWithRole, compareSums, figureText, layoutOf, requestCell, requestColumnSums, RuleFindings, valueOf, type CellRef } from './cells.js';
import type { ReportRule } from './types.js';

export const requestsBalance: ReportRule = {
  id: 'requests-balance',
  scope: 'report',
  severity: 'error',
  title: '申请收支平衡',
  description:
    '表三每一列：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理。这是表格左上角印明的勾稽关系，不成立说明表中数字有误。',
  basis: 'printed',
  basisText: `表三左上角印明的说明${requestsBalanceNote}`,
  examples: {
    pass: [{ title: '收 3 件、结转 1 件、办结 3 件、结转下年 1 件', markdown: exampleReport({ requests: {
      newReceived: [3, 0, 0, 0, 0, 0, 3], carriedOver: [1, 0, 0, 0, 0, 0, 1], granted: [3, 0, 0, 0, 0, 0, 3],
      totalProcessed: [3, 0, 0, 0, 0, 0, 3], carriedForward: [1, 0, 0, 0, 0, 0, 1] } }) }],
    fail: [{ title: '新收 3 件、办结 3 件，但又结转下年 1 件', markdown: exampleReport({ requests: {
      newReceived: [3, 0, 0, 0, 0, 0, 3], granted: [3, 0, 0, 0, 0, 0, 3],
      totalProcessed: [3, 0, 0, 0, 0, 0, 3], carriedForward: [1, 0, 0, 0, 0, 0, 1] } }) }],
  },
  check(report: Report) {
    const layout = layoutOf(report);
    const found = new RuleFindings(requestsBalance);
    if (!layout || !report.tables.requests) return found.messages;
    const inputs = requestRowsWithRole(layout, 'input');
    const outputs = [...requestRowsWithRole(layout, 'total'), ...requestRowsWithRole(layout, 'output')];
    const short = (ref: CellRef) => ref.name.split('·')[0] as string;
    const inputSums = requestColumnSums(report, inputs);
    const outputSums = requestColumnSums(report, outputs);
    requestColumns.forEach((column, c) => {
      if (inputSums[c] === outputSums[c]) return;
      const left = inputs.map((r) => requestCell(report, r, c));
      const right = outputs.map((r) => requestCell(report, r, c));
      const comparison = compareSums(left, right);
      if (comparison.state === 'unknown') {
        found.unassessable(`${column.label}列`, comparison.missing, [...left, ...right]);
        return;
      }
      if (comparison.state === 'equal') return;
      const spell = (refs: CellRef[], total: number) =>
        `${refs.map((r) => `${short(r)} ${figureText(r)}`).join(' + ')} ${refs.every((r) => valueOf(r) !== null) ? '=' : '已填数字之和已达'} ${total}`;
      found.add(
        `${column.label}列：${spell(left, comparison.left)}，但 ${spell(right, comparison.right)}，两者应相等`,
        [...left, ...right],
        right[0]?.cell?.position ?? null,
      );
    });
    return found.done();
  },
};
