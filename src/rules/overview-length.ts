/** overview-length: 一、总体情况 is about 1,000 characters or fewer. */
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { RuleFindings } from './cells.js';
import type { ReportRule } from './types.js';

export const OVERVIEW_LIMIT = 1000;
/**
 * What the count leaves out: whitespace (\s, as isSpaceCode has it) and the
 * Markdown marks #*_>|`-. Counted by one native search for them, which beat
 * reading every code unit in script.
 */
const UNCOUNTED = /[\s#*_>|`-]/g;

/** Characters (UTF-16 code units) of the text without whitespace and Markdown marks. */
function countedLength(text: string): number {
  const left = text.match(UNCOUNTED);
  return text.length - (left === null ? 0 : left.length);
}

export const overviewLength: ReportRule = {
  id: 'overview-length',
  scope: 'report',
  severity: 'info',
  title: '总体情况篇幅',
  description: `一、总体情况原则上不超过一千字；本规则统计该部分的字符数（不计空白和 Markdown 标记），超过 ${OVERVIEW_LIMIT} 时提示。`,
  basis: 'official',
  basisText: '国办公开办函〔2021〕30号：总体情况原则上不超过一千字',
  examples: {
    pass: [{ title: '简要的总体情况', markdown: exampleReport() }],
    fail: [{ title: '总体情况超过一千字', markdown: exampleReport({ overview: '本机关认真贯彻落实政府信息公开条例，持续加强主动公开，规范依申请公开办理。'.repeat(30) }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(overviewLength);
    const overview = report.sections.find((s) => s.id === 'overview');
    if (!overview || report.template === 'pre-2019' || report.template === 'unknown') return found.messages;
    // Leaving characters out only shortens the text: one within the limit as it stands needs no count.
    if (overview.text.length <= OVERVIEW_LIMIT) return found.messages;
    const length = countedLength(overview.text);
    if (length > OVERVIEW_LIMIT)
      found.add(`一、总体情况约 ${length} 字，超过原则上的一千字`, [], overview.position);
    return found.done();
  },
};
