/** legacy-format: a report from before the 2019 templates is recognised, not checked against table rules. */
import type { Report } from '../template/model.js';
import { exampleReport, frontMatter } from './example-builder.js';
import { RuleFindings } from './cells.js';
import type { ReportRule } from './types.js';

export const legacyFormat: ReportRule = {
  id: 'legacy-format',
  scope: 'report',
  severity: 'info',
  title: '2019 年以前的年报',
  description: '2019 年以前的年报没有全国统一表格，已识别并发布，但不按表格规则校验。',
  basis: 'none',
  basisText: '2008 年《政府信息公开条例》第三十二条，无统一表格',
  examples: {
    pass: [{ title: '2024 年度报告按表格校验', markdown: exampleReport() }],
    fail: [{ title: '2013 年度报告，只有文字', markdown: `${frontMatter({ year: 2013 })}\n## 一、概述\n\n2013 年，我局认真贯彻《中华人民共和国政府信息公开条例》。\n\n## 二、主动公开政府信息的情况\n\n全年主动公开信息 120 条。\n` }],
  },
  check(report: Report) {
    const found = new RuleFindings(legacyFormat);
    if (report.template === 'pre-2019')
      found.add('2019 年以前格式的年报：已识别，不按表格规则校验', [], { line: 1, column: 1 });
    return found.done();
  },
};
