/** fee-notice: applications dropped for unpaid fees imply fee notices, which section 六 should mention. */
import { requestRows2021 } from '../template/layout.js';
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { applicantColumnIndexes, requestCell, RuleFindings, sectionPosition, totalColumnIndex, valueOf } from './cells.js';
import type { ReportRule } from './types.js';

const overdueFeeRow = requestRows2021.find((r) => r.key === 'otherHandling.overdueFee');
const NOTICE_WORDS = /收费通知|缴费通知|缴纳.{0,6}费|通知.{0,6}缴|收取.{0,8}费|信息处理费/;

export const feeNotice: ReportRule = {
  id: 'fee-notice',
  scope: 'report',
  severity: 'warning',
  title: '收费通知应有说明',
  description: '表三（六）2“申请人逾期未按收费通知要求缴纳费用”大于 0，说明本年发出过收费通知，第六部分应说明信息处理费的收取情况。',
  basis: 'definitional',
  basisText: '由（六）2 一行的含义推出',
  examples: {
    pass: [{ title: '有 1 件逾期未缴费，第六部分说明了收费通知', markdown: exampleReport({
      requests: { newReceived: [1, 0, 0, 0, 0, 0, 1], 'otherHandling.overdueFee': [1, 0, 0, 0, 0, 0, 1], totalProcessed: [1, 0, 0, 0, 0, 0, 1], granted: [0, 0, 0, 0, 0, 0, 0] },
      other: '本年度向 1 名申请人发出收费通知，申请人逾期未缴纳，未实际收取信息处理费。' }) }],
    fail: [{ title: '有 1 件逾期未缴费，第六部分只写“无”', markdown: exampleReport({
      requests: { newReceived: [1, 0, 0, 0, 0, 0, 1], 'otherHandling.overdueFee': [1, 0, 0, 0, 0, 0, 1], totalProcessed: [1, 0, 0, 0, 0, 0, 1], granted: [0, 0, 0, 0, 0, 0, 0] },
      other: '无。' }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(feeNotice);
    const other = report.sections.find((s) => s.id === 'other');
    if (report.template !== '2021' || !overdueFeeRow || !report.tables.requests || !other) return found.messages;
    const total = requestCell(report, overdueFeeRow, totalColumnIndex);
    const counted = valueOf(total) ?? Math.max(0, ...applicantColumnIndexes.map((c) => valueOf(requestCell(report, overdueFeeRow, c)) ?? 0));
    if (counted > 0 && !NOTICE_WORDS.test(other.text))
      found.add(`表三（六）2 逾期未按收费通知要求缴纳费用为 ${counted} 件，但第六部分未说明收费通知或信息处理费的情况`, [total], sectionPosition(report, 'other'));
    return found.done();
  },
};
