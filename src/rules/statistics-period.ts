/** statistics-period: the stated statistics period matches the report year. */
import { toHalfWidthDigits } from '../template/cell-text.js';
import type { Report } from '../template/model.js';
import { reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import { RuleFindings } from './cells.js';
import type { ReportRule } from './types.js';

const PERIOD = /统计(?:期限|期间|周期|时限|区间|时间|范围)?[^。；\d]{0,10}?(\d{4})\s*年\s*(?:1|01|一)\s*月\s*(?:1|01|一)\s*日\s*(?:起\s*)?(?:至|到|—|–|-|～|~)\s*(?:(\d{4})\s*年\s*)?12\s*月\s*31\s*日/;

export const statisticsPeriod: ReportRule = {
  id: 'statistics-period',
  scope: 'report',
  severity: 'warning',
  title: '统计期限与年度相符',
  description: '年报开头写明的统计期限（本报告所列数据统计期限为某年1月1日至12月31日）应是报告年度。',
  basis: 'convention',
  basisText: '年报通行写法：本报告所列数据统计期限为 YYYY 年 1 月 1 日至 12 月 31 日',
  examples: {
    pass: [{ title: '2024 年度，统计期限 2024 年', markdown: exampleReport({ year: 2024 }) }],
    fail: [{ title: '2024 年度，统计期限仍写 2023 年', markdown: exampleReport({ year: 2024, overview: '本报告所列数据统计期限为2023年1月1日至12月31日。' }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(statisticsPeriod);
    const year = reportYear(report);
    if (year === null) return found.messages;
    for (const section of report.sections) {
      // PERIOD starts with 统计: a section without it is passed over without converting its digits.
      if (!section.text.includes('统计')) continue;
      const match = PERIOD.exec(toHalfWidthDigits(section.text));
      if (!match) continue;
      const from = Number(match[1]);
      const to = match[2] ? Number(match[2]) : from;
      if (from !== year || to !== year)
        found.add(`统计期限写为“${match[0].replace(/\s+/g, '')}”，与报告年度 ${year} 不符`, [], section.position);
      break;
    }
    return found.done();
  },
};
