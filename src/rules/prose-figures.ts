/**
 * Figures the prose states about the tables: “收到申请 N 件”, “办结 N 件”,
 * “结转 N 件”, “予以公开 N 件”, “行政复议 N 起” … Each phrasing is tied only
 * to the cells it certainly means; numbers that are not such claims (dates,
 * 第711号, percentages, parts introduced by 其中) are never read as claims.
 */
import { FULLWIDTH_DIGIT_OFFSET, isDigitCode, isFullWidthDigitCode, isSpaceCode } from '../template/cell-text.js';
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

const PROSE_SECTIONS = new Set(['overview', 'problems', 'other']);
const ASCII_DIGIT = /\d/;
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

/** [。；;！？!?] */
function isSentenceEndCode(code: number): boolean {
  return code === 0x3002 || code === 0xff1b || code === 0x3b || code === 0xff01 || code === 0xff1f || code === 0x21 || code === 0x3f;
}

/** The units a claimed figure is counted in. */
const UNITS = ['件', '个', '起'];

/**
 * The next unit at or after a place in a text, by native search (faster than
 * reading the text code unit by code unit in script); each unit's next place
 * is remembered, since the places asked for only grow.
 */
class UnitFinder {
  private readonly places = [-1, -1, -1];

  constructor(private readonly text: string) {}

  /** The place of the first unit at or after `from`, or the text's length. */
  at(from: number): number {
    let first = this.text.length;
    for (let k = 0; k < UNITS.length; k++) {
      let place = this.places[k] as number;
      if (place < from) {
        place = this.text.indexOf(UNITS[k] as string, from);
        this.places[k] = place = place < 0 ? this.text.length : place;
      }
      if (place < first) first = place;
    }
    return first;
  }
}

/**
 * Where the first figure followed by its unit (a digit, whitespace, the unit)
 * at or after `from` starts in text[from, to), or -1: the last digit before
 * the unit, where /[0-9０-９]\s*[件个起]/ matches.
 */
function figureAt(text: string, from: number, to: number, units: UnitFinder): number {
  for (let i = units.at(from); i < to; i = units.at(i + 1)) {
    let j = i - 1;
    while (j >= from && isSpaceCode(text.charCodeAt(j))) j--;
    if (j >= from && isDigitCode(text.charCodeAt(j))) return j;
  }
  return -1;
}

/**
 * The sentences of the paragraph text[from, to) that hold a figure followed
 * by its unit, in order, found from the figures rather than by splitting
 * every sentence: a sentence runs from after the previous end (。；;！？!?)
 * to the next, or to the paragraph's end.
 */
function countingSentences(text: string, from: number, to: number, units: UnitFinder, sentences: string[]): void {
  let start = from;
  for (let figure = figureAt(text, start, to, units); figure >= 0; figure = figureAt(text, start, to, units)) {
    for (let i = figure - 1; i >= start; i--)
      if (isSentenceEndCode(text.charCodeAt(i))) {
        start = i + 1;
        break;
      }
    let end = to;
    for (let i = figure + 1; i < to; i++)
      if (isSentenceEndCode(text.charCodeAt(i))) {
        end = i;
        break;
      }
    sentences.push(text.slice(start, end));
    start = end + 1;
  }
}

/**
 * The counting sentences of a section, paragraph by paragraph: paragraphs
 * are parted where text.split(/\n\s*\n/) parts them (a line break, then
 * whitespace up to the last line break of that whitespace).
 */
function sectionSentences(text: string): string[] {
  const sentences: string[] = [];
  const units = new UnitFinder(text);
  let paragraphStart = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    let lastBreak = -1;
    for (let j = i + 1; j < text.length; j++) {
      const code = text.charCodeAt(j);
      if (code === 0x0a) lastBreak = j;
      else if (!isSpaceCode(code)) break;
    }
    if (lastBreak < 0) continue;
    countingSentences(text, paragraphStart, i, units, sentences);
    paragraphStart = lastBreak + 1;
    i = lastBreak;
  }
  countingSentences(text, paragraphStart, text.length, units, sentences);
  return sentences;
}

/** Every word some pattern needs, each with its bit: a sentence is searched once for each word, not once per pattern. */
const NEEDED_WORDS = [...new Set(patterns.flatMap((pattern) => pattern.needs))];
const neededBits = patterns.map((pattern) => pattern.needs.reduce((bits, word) => bits | (1 << NEEDED_WORDS.indexOf(word)), 0));

/** The bits of the needed words the sentence contains. */
function wordsIn(sentence: string): number {
  let bits = 0;
  for (let k = 0; k < NEEDED_WORDS.length; k++) if (sentence.includes(NEEDED_WORDS[k] as string)) bits |= 1 << k;
  return bits;
}

/** The claims of the prose sections, in order. */
export function proseClaims(report: Report): Claim[] {
  const claims: Claim[] = [];
  for (const section of report.sections) {
    // Only ASCII digits let a section in, as /\d/ did: full-width figures alone are not read as claims.
    if (!PROSE_SECTIONS.has(section.id) || !ASCII_DIGIT.test(section.text)) continue;
    for (const printed of sectionSentences(section.text)) {
      const sentence = normalise(printed);
      const taken = new Set<number>();
      let receivedAt = -1;
      const found: { claim: Claim; at: number }[] = [];
      const words = wordsIn(sentence);
      for (let p = 0; p < patterns.length; p++) {
        if ((words & (neededBits[p] as number)) === 0) continue;
        const pattern = patterns[p] as Pattern;
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
  return claims;
}
