/** deadline: the publication date is within the deadline for the body's kind (FORMAT.md §9). */
import type { Report } from '../template/model.js';
import { normaliseAgency, reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import { RuleFindings } from './cells.js';
import type { ReportRule } from './types.js';

/**
 * The kind of body from its name; null when the name does not say (for
 * example a 管委会), in which case no deadline is asserted.
 */
const kinds: { test: RegExp; kind: string; monthDay: string }[] = [
  { test: /省人民政府$|自治区人民政府$|^(北京|天津|上海|重庆)市人民政府$/, kind: '省级人民政府', monthDay: '03-31' },
  { test: /(市|州|盟)人民政府$/, kind: '设区的市级人民政府', monthDay: '03-10' },
  { test: /(县|区|旗)人民政府$/, kind: '县级人民政府', monthDay: '02-20' },
  { test: /(乡|镇|街道|街道办事处)(人民政府)?$/, kind: '乡镇（街道）', monthDay: '01-31' },
  { test: /(局|委员会|委|办公室|办公厅|厅|办|中心|署|院)$/, kind: '政府部门', monthDay: '01-31' },
];

export function bodyKind(agency: string): { kind: string; monthDay: string } | null {
  const name = normaliseAgency(agency);
  return kinds.find((k) => k.test.test(name)) ?? null;
}

/**
 * Reports before 2019 fall under the 2008 条例 (every body by 3月31日); for
 * 2019 and 2020 the 2019 条例 alone (departments 1月31日, governments 3月31日);
 * from 2021 the finer deadlines of FORMAT.md §9.
 */
export function regimeKind(year: number, agency: string): { kind: string; monthDay: string } | null {
  if (year < 2019) return { kind: '2008 年条例下的各机关', monthDay: '03-31' };
  const kind = bodyKind(agency);
  if (!kind || year >= 2021) return kind;
  return kind.kind === '政府部门' || kind.kind.startsWith('乡镇') ? kind : { kind: kind.kind, monthDay: '03-31' };
}

export const deadline: ReportRule = {
  id: 'deadline',
  scope: 'report',
  severity: 'warning',
  title: '按期发布',
  description: '年报应在次年规定日期前发布（2019 年以前按 2008 年条例为 3月31日）：政府部门和乡镇（街道）1月31日，县级人民政府2月20日，设区的市级人民政府3月10日，省级人民政府3月31日。机关类型由名称判断，判断不了时不提示。',
  basis: 'official',
  basisText: '《政府信息公开条例》第四十九条、第五十条及国办公开办函〔2021〕30号',
  examples: {
    pass: [{ title: '县政府办公室 2025 年 1 月 20 日发布 2024 年度报告', markdown: exampleReport({ year: 2024, published: '2025-01-20' }) }],
    fail: [{ title: '县政府办公室 2025 年 3 月 1 日才发布', markdown: exampleReport({ year: 2024, published: '2025-03-01' }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(deadline);
    const year = reportYear(report);
    const { published, agency } = report.meta;
    if (year === null || !published || !agency) return found.messages;
    const kind = regimeKind(year, agency);
    if (!kind) return found.messages;
    const due = `${year + 1}-${kind.monthDay}`;
    if (published > due)
      found.add(`发布日期 ${published} 晚于期限 ${due}（${kind.kind}；按名称“${agency}”判断）`, [], { line: 1, column: 1 });
    return found.done();
  },
};
