/** template-year: the template found matches the report year. */
import { expectedTemplate } from '../template/layout.js';
import type { Report } from '../template/model.js';
import { reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import { RuleFindings } from './cells.js';
import type { ReportRule } from './types.js';

const names = { '2021': '2021 年格式', '2019': '2019 年试行格式', 'pre-2019': '2019 年以前的格式' } as const;

export const templateYear: ReportRule = {
  id: 'template-year',
  scope: 'report',
  severity: 'warning',
  title: '格式与年度相符',
  description: '2021 年度起应使用国办公开办函〔2021〕30号格式，2019、2020 年度使用国办公开办函〔2019〕60号试行格式。所用格式与年度不符时应核实。',
  basis: 'official',
  basisText: '国办公开办函〔2021〕30号、国办公开办函〔2019〕60号',
  examples: {
    pass: [{ title: '2024 年度使用 2021 年格式', markdown: exampleReport({ year: 2024 }) }],
    fail: [{ title: '2020 年度使用 2021 年格式', markdown: exampleReport({ year: 2020 }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(templateYear);
    const year = reportYear(report);
    if (year === null || report.template === 'unknown') return found.messages;
    const expected = expectedTemplate(year);
    if (expected !== report.template && expected !== 'unknown')
      found.add(`${year} 年度应使用${names[expected]}，本报告为${names[report.template]}`, [], { line: 1, column: 1 });
    return found.done();
  },
};
