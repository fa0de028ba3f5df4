/** overview-length: 一、总体情况 is about 1,000 characters or fewer. */
import { isSpaceCode } from '../template/cell-text.js';
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { RuleFindings } from './cells.js';
import type { ReportRule } from './types.js';

export const OVERVIEW_LIMIT = 1000;
/** Markdown marks not counted as characters (whitespace is not counted either). */
const MARKS = '#*_>|`-';

/**
 * Which UTF-16 code units are left out of the count, made on first use: one
 * array read per character instead of a whitespace test and a set lookup.
 */
let uncountedUnits: Uint8Array | null = null;
function uncounted(): Uint8Array {
  if (!uncountedUnits) {
    uncountedUnits = new Uint8Array(0x10000);
    for (let code = 0; code < 0x10000; code++) if (isSpaceCode(code)) uncountedUnits[code] = 1;
    for (let i = 0; i < MARKS.length; i++) uncountedUnits[MARKS.charCodeAt(i)] = 1;
  }
  return uncountedUnits;
}

/** Characters of the text without whitespace and Markdown marks, counted in place rather than by removing them. */
function countedLength(text: string): number {
  const left = uncounted();
  let length = 0;
  for (let i = 0; i < text.length; i++) length += 1 - (left[text.charCodeAt(i)] as number);
  return length;
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
