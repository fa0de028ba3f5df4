/** fee-statement: from report-year 2021, section 六 reports the 信息处理费 collected. */
import type { Report } from '../template/model.js';
import { reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import { RuleFindings, sectionPosition } from './cells.js';
import type { ReportRule } from './types.js';

export const FEE_WORDS = /信息处理费|收费|收取|费用|缴费/;

export const feeStatement: ReportRule = {
  id: 'fee-statement',
  scope: 'report',
  severity: 'warning',
  title: '说明信息处理费',
  description: '自 2021 年度起，年报第六部分应专门说明收取信息处理费的情况，未收取的也应写明。',
  basis: 'official',
  basisText: '国办公开办函〔2021〕30号：六、其他需要报告的事项，在此处专门报告收取信息处理费的情况',
  examples: {
    pass: [{ title: '写明本年度未收取信息处理费', markdown: exampleReport({ other: '本年度未收取信息处理费。' }) }],
    fail: [{ title: '第六部分只写“无”', markdown: exampleReport({ other: '无。' }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(feeStatement);
    const year = reportYear(report);
    const other = report.sections.find((s) => s.id === 'other');
    // A missing section 六 is the `sections` rule's finding.
    if (year === null || year < 2021 || report.template !== '2021' || !other) return found.messages;
    if (!FEE_WORDS.test(other.text))
      found.add('第六部分未说明收取信息处理费的情况（未收取的也应写明）', [], sectionPosition(report, 'other'));
    return found.done();
  },
};
