/** statistics-period: the stated statistics period matches the report year. */
import { toHalfWidthDigits } from '../template/cell-text.js';
import type { Report } from '../template/model.js';
import { reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import { RuleFindings } from './cells.js';
import type { ReportRule } from './types.js';

/**
 * Digits full-width or not (each digit and the dash also in its full-width
 * form): the section is read as printed, without converting it first, and
 * only the match is converted.
 */
const PERIOD =
  /统计(?:期限|期间|周期|时限|区间|时间|范围)?[^。；\d０-９]{0,10}?([\d０-９]{4})\s*年\s*(?:[1１]|[0０][1１]|一)\s*月\s*(?:[1１]|[0０][1１]|一)\s*日\s*(?:起\s*)?(?:至|到|—|–|-|－|～|~)\s*(?:([\d０-９]{4})\s*年\s*)?[1１][2２]\s*月\s*[3３][1１]\s*日/;

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
      // PERIOD starts with 统计: a section without it is passed over unsearched.
      if (!section.text.includes('统计')) continue;
      const match = PERIOD.exec(section.text);
      if (!match) continue;
      const from = Number(toHalfWidthDigits(match[1] as string));
      const to = match[2] ? Number(toHalfWidthDigits(match[2])) : from;
      if (from !== year || to !== year)
        found.add(`统计期限写为“${toHalfWidthDigits(match[0]).replace(/\s+/g, '')}”，与报告年度 ${year} 不符`, [], section.position);
      break;
    }
    return found.done();
  },
};
