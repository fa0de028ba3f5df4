/**
 * Figures the prose states about the tables: “收到申请 N 件”, “办结 N 件”,
 * “结转 N 件”, “予以公开 N 件”, “行政复议 N 起” … Each phrasing is tied only
 * to the cells it certainly means; numbers that are not such claims (dates,
 * 第711号, percentages, parts introduced by 其中) are never read as claims.
 */
import { FULLWIDTH_DIGIT_OFFSET, isDigitCode, isFullWidthDigitCode } from '../template/cell-text.js';
import type { Report } from '../template/model.js';

/** What a claim is about: the sum of these rows' 总计 (or the named column), in one of several readings. */
export interface ClaimTarget {
  table: 'requests' | 'review' | 'active';
  /** Readings of the phrase, each a list of row keys (or `row.column` for table 二) whose figures add up. */
  readings: string[][];
  /** Column of table 三 (default 总计) — for applicant sub-claims. */
  columns?: number[];
  /** Chinese name of what the prose counts. */
  name: string;
}

export interface Claim {
  value: number;
  sentence: string;
  target: ClaimTarget;
  /** The body the clause names before its verb (e.g. 区政府办), when it does. */
  subject: string | null;
}

const RESULT_GROUP = (prefix: string) => (key: string) => key === prefix || key.startsWith(`${prefix}.`);

interface Pattern {
  regex: RegExp;
  /** Words one of which every match contains: a sentence without any is not searched. */
  needs: readonly string[];
  target: ClaimTarget;
  /** Only inside a sentence that already made a claim about applications received. */
  afterReceived?: boolean;
  received?: boolean;
}

const received: ClaimTarget = { table: 'requests', name: '收到（受理）申请', readings: [['newReceived'], ['newReceived', 'carriedOver']] };
const n = '(\\d+)';
const unit = '(?:件|个)';

/** Ordered: specific phrasings first, since each number is claimed once. */
const patterns: Pattern[] = [
  { needs: ['部分公开'], regex: new RegExp(`予以公开(?:及|和|、)部分公开(?:的)?(?:答复)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '予以公开及部分公开', readings: [['granted', 'partiallyGranted']] } },
  { needs: ['予以公开', '同意公开'], regex: new RegExp(`(?<!不)(?:予以公开|同意公开)(?:答复)?(?:的)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '予以公开', readings: [['granted']] } },
  { needs: ['部分公开'], regex: new RegExp(`部分公开(?:答复)?(?:的)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '部分公开', readings: [['partiallyGranted']] } },
  { needs: ['不予公开'], regex: new RegExp(`不予公开(?:答复)?(?:的)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '不予公开', readings: [['denied']] } },
  { needs: ['无法提供'], regex: new RegExp(`无法提供(?:答复)?(?:的)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '无法提供', readings: [['unavailable']] } },
  { needs: ['不予处理'], regex: new RegExp(`不予处理(?:答复)?(?:的)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '不予处理', readings: [['notProcessed']] } },
  { needs: ['其他处理'], regex: new RegExp(`其他处理(?:答复)?(?:的)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '其他处理', readings: [['otherHandling']] } },
  { needs: ['结转'], regex: new RegExp(`上一?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '上年结转', readings: [['carriedOver']] } },
  { needs: ['结转'], regex: new RegExp(`结转(?:至|到)?(?:下一?年度?|下年|\\d{4}年)(?:继续办理)?(?:的)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '结转下年度', readings: [['carriedForward']] } },
  { needs: ['结转', '顺延'], regex: new RegExp(`${n}${unit}(?:申请)?(?:结转|顺延)(?:至|到)?下一?年度?`, 'g'), target: { table: 'requests', name: '结转下年度', readings: [['carriedForward']] } },
  { needs: ['申请'], regex: new RegExp(`(?:收到|新收|受理|接收)(?:各类)?(?:政府)?(?:信息公开)?申请(?:共|合计|总计)?${n}${unit}`, 'g'), target: received, received: true },
  { needs: ['申请'], regex: new RegExp(`(?:收到|新收|受理)${n}${unit}(?:政府信息公开)?申请`, 'g'), target: received, received: true },
  { needs: ['办结', '答复', '办理'], regex: new RegExp(`(?<!公开|处理|提供|下一?年度?)(?:办结|答复|办理)(?:了)?(?:政府信息公开)?(?:申请)?(?:共)?${n}${unit}`, 'g'), target: { table: 'requests', name: '办结（答复）', readings: [['totalProcessed']] } },
  { needs: ['法人或其他组织'], regex: new RegExp(`法人或其他组织(?:申请)?${n}${unit}`, 'g'), target: { ...received, name: '法人或其他组织申请', columns: [1, 2, 3, 4, 5] }, afterReceived: true },
  { needs: ['自然人'], regex: new RegExp(`自然人(?:申请)?${n}${unit}`, 'g'), target: { ...received, name: '自然人申请', columns: [0] }, afterReceived: true },
  { needs: ['商业企业'], regex: new RegExp(`商业企业(?:申请)?${n}${unit}`, 'g'), target: { ...received, name: '商业企业申请', columns: [1] }, afterReceived: true },
  { needs: ['行政诉讼'], regex: new RegExp(`行政复议[、和及与]行政诉讼[^，。；\\d]{0,20}?(?:案件)?(?:共)?${n}(?:件|起)`, 'g'), target: { table: 'review', name: '行政复议和行政诉讼', readings: [['reconsideration', 'litigationDirect', 'litigationAfterReconsideration']] } },
  { needs: ['行政复议'], regex: new RegExp(`行政复议(?:案件)?(?:共)?${n}(?:件|起)`, 'g'), target: { table: 'review', name: '行政复议', readings: [['reconsideration']] } },
  { needs: ['诉讼'], regex: new RegExp(`(?:行政诉讼|[、，]诉讼)(?:案件)?(?:共)?${n}(?:件|起)`, 'g'), target: { table: 'review', name: '行政诉讼', readings: [['litigationDirect', 'litigationAfterReconsideration']] } },
  { needs: ['规范性文件'], regex: new RegExp(`现行有效(?:的)?(?:行政)?规范性文件(?:共)?${n}${unit}`, 'g'), target: { table: 'active', name: '现行有效规范性文件', readings: [['normativeDocuments.inForce']] } },
  { needs: ['规范性文件'], regex: new RegExp(`(?:本年度?|全年)?制发(?:的)?(?:行政)?规范性文件(?:共)?${n}${unit}`, 'g'), target: { table: 'active', name: '制发规范性文件', readings: [['normativeDocuments.issued']] } },
];

/** Sentence ends. Line breaks ended sentences too, but normalising takes them out before sentences are split. */
const SENTENCE_END = /[。；;！？!?]/g;
const PROSE_SECTIONS = new Set(['overview', 'problems', 'other']);
/**
 * A figure followed by its unit, before normalising (full-width digits,
 * whitespace between): every claim is one, so a sentence without one holds no
 * claim and is neither normalised nor searched.
 */
const COUNTED = /[0-9０-９]\s*[件个起]/;
const EVERY_COUNTED = new RegExp(COUNTED.source, 'g');
const SUBJECT = /([\u4e00-\u9fa5]{2,12}?(?:政府办|办公室|办公厅|局|委|中心|办))(?:代表[\u4e00-\u9fa5]{1,8})?(?:共|全年)?(?:收到|新收|受理)/;

export function rowKeysOf(prefixes: readonly string[], allKeys: readonly string[]): string[] {
  return allKeys.filter((key) => prefixes.some((p) => RESULT_GROUP(p)(key)));
}

/** Words that make a clause's figure a part (其中 …) or a comparison, not the table's figure; one expression made once, not per match. */
const PART_OR_COMPARISON = /其中|同比|较上年|较去年|比上年|增长|下降/;

/** What normalising changes: whitespace runs, full-width digits, signs and points, and \u0001 (see normalise). */
const CHANGED = /\s+|[\u0001０-９＋－．]/g;
/** Spaces that may stand between two numbers on one line. */
const LINE_SPACES = /^[ \t\u00a0\u3000]+$/;

/**
 * Full-width digits, signs and points to ASCII and whitespace out, except
 * spaces alone between two digits (two numbers), kept as one space: a
 * wrapped number joins up. \u0001, which once marked the kept spaces, still
 * reads as a space. The regular expression finds what changes, faster than
 * a scan in script.
 */
function normalise(text: string): string {
  let out = '';
  let copied = 0;
  CHANGED.lastIndex = 0;
  for (let m = CHANGED.exec(text); m; m = CHANGED.exec(text)) {
    const at = m.index;
    const run = m[0];
    const code = run.charCodeAt(0);
    let replacement = '';
    if (code === 0x01) replacement = ' ';
    else if (isFullWidthDigitCode(code)) replacement = String.fromCharCode(code - FULLWIDTH_DIGIT_OFFSET);
    else if (isDigitCode(text.charCodeAt(at - 1)) && isDigitCode(text.charCodeAt(at + run.length)) && LINE_SPACES.test(run)) replacement = ' ';
    out += text.slice(copied, at) + replacement;
    copied = at + run.length;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * The sentences of a paragraph that hold a figure followed by its unit, in
 * order, found from the figures rather than by splitting every sentence.
 */
function countingSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  EVERY_COUNTED.lastIndex = 0;
  for (let figure = EVERY_COUNTED.exec(paragraph); figure; figure = EVERY_COUNTED.exec(paragraph)) {
    let end = paragraph.length;
    SENTENCE_END.lastIndex = start;
    for (let stop = SENTENCE_END.exec(paragraph); stop; stop = SENTENCE_END.exec(paragraph)) {
      if (stop.index > figure.index) {
        end = stop.index;
        break;
      }
      start = stop.index + 1;
    }
    sentences.push(paragraph.slice(start, end));
    start = end + 1;
    EVERY_COUNTED.lastIndex = start;
  }
  return sentences;
}

function containsAny(text: string, words: readonly string[]): boolean {
  for (const word of words) if (text.includes(word)) return true;
  return false;
}

/** The claims of the prose sections, in order. */
export function proseClaims(report: Report): Claim[] {
  const claims: Claim[] = [];
  for (const section of report.sections) {
    if (!PROSE_SECTIONS.has(section.id) || !/\d/.test(section.text) || !COUNTED.test(section.text)) continue;
    for (const paragraph of section.text.split(/\n\s*\n/)) {
      for (const printed of countingSentences(paragraph)) {
        const sentence = normalise(printed);
        const taken = new Set<number>();
        let receivedAt = -1;
        const found: { claim: Claim; at: number }[] = [];
        for (const pattern of patterns) {
          if (!containsAny(sentence, pattern.needs)) continue;
          pattern.regex.lastIndex = 0;
          for (let m = pattern.regex.exec(sentence); m; m = pattern.regex.exec(sentence)) {
            const numberAt = m.index + m[0].indexOf(m[1] as string);
            if (taken.has(numberAt)) continue;
            if (pattern.afterReceived && (receivedAt < 0 || m.index < receivedAt)) continue;
            // A part (其中 …) or a comparison is not the table's figure.
            const clauseStart = Math.max(sentence.lastIndexOf('，', m.index), sentence.lastIndexOf(',', m.index), 0);
            const clause = sentence.slice(clauseStart, m.index);
            if (!pattern.afterReceived && PART_OR_COMPARISON.test(clause)) continue;
            taken.add(numberAt);
            if (pattern.received && receivedAt < 0) receivedAt = m.index;
            const subject = pattern.received ? (SUBJECT.exec(sentence.slice(clauseStart, m.index + m[0].length))?.[1] ?? null) : null;
            found.push({ claim: { value: Number(m[1]), sentence: sentence.trim(), target: pattern.target, subject }, at: m.index });
          }
        }
        found.sort((a, b) => a.at - b.at);
        for (const { claim } of found) claims.push(claim);
      }
    }
  }
  return claims;
}
