/**
 * repeated-text: section 五 nearly identical to last year's or to another
 * body's of the same year. Texts are compared as sets of character
 * trigrams: last year's exactly; across bodies, MinHash bands pick the
 * candidate pairs so that the cost grows with the number of reports, not its square.
 */
import type { Message, Report } from '../template/model.js';
import { bodyKey, consecutivePairs, reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import type { CollectionRule } from './types.js';

export const SIMILARITY = 0.9;
/** Short texts (“无”, one sentence) are alike by nature. */
const MIN_CHARACTERS = 80;
/** Even: signatureOf computes two at a time. */
const HASHES = 16;
const BAND = 4;
/** Candidates compared per report: enough for real collisions, bounded for boilerplate. */
const MAX_COMPARISONS = 64;
const SEEDS = Array.from({ length: HASHES }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ 0x85ebca6b) >>> 0);
const IGNORED = /[\s\d０-９，。、；：,.;:（）()“”"'《》\-—#*|]/;

/** What the rule keeps of one text of section 五. */
interface Shingles {
  /** The distinct trigrams, sorted: compared by merging. */
  grams: Uint32Array;
  /** Made when first asked for: only reports that share their year with another need one (see signatureOfText). */
  signature: Uint32Array | null;
}

interface Shingled {
  report: Report;
  body: string;
  /** Shared by every report with the same text. */
  text: Shingles;
}

function gramOf(a: number, b: number, c: number): number {
  return (Math.imul(a, 0x01000193) ^ Math.imul(b, 0x5bd1e995) ^ c) >>> 0;
}

/** Which UTF-16 code units IGNORED matches, made on first use (the regex has no u flag: it matches code units). */
let ignoredUnits: Uint8Array | null = null;
function ignoredTable(): Uint8Array {
  if (!ignoredUnits) {
    ignoredUnits = new Uint8Array(0x10000);
    for (let u = 0; u < 0x10000; u++) if (IGNORED.test(String.fromCharCode(u))) ignoredUnits[u] = 1;
  }
  return ignoredUnits;
}

/** Texts up to this length are shingled in one buffer kept for them all (64 KB), longer ones in a buffer of their own. */
const SCRATCH_LENGTH = 1 << 14;
let scratch: Uint32Array | null = null;

/**
 * The trigrams of the text with IGNORED left out, in one pass (no reduced
 * copy of the text), into the scratch buffer or one of the text's own; and
 * how many characters were kept.
 */
function textTrigrams(text: string): { grams: Uint32Array; kept: number } {
  const all = text.length <= SCRATCH_LENGTH ? (scratch ??= new Uint32Array(SCRATCH_LENGTH)) : new Uint32Array(text.length);
  const ignored = ignoredTable();
  let kept = 0;
  let n = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (ignored[c] === 1) continue;
    if (++kept >= 3) all[n++] = gramOf(a, b, c);
    a = b;
    b = c;
  }
  return { grams: all.subarray(0, n), kept };
}

/** The distinct ones of the trigrams, sorted, in an array of their own. */
function distinctSorted(grams: Uint32Array): Uint32Array {
  grams.sort();
  let distinct = 0;
  for (let i = 0; i < grams.length; i++) if (i === 0 || grams[i] !== grams[i - 1]) grams[distinct++] = grams[i] as number;
  return grams.slice(0, distinct);
}

/** The text's distinct trigrams, sorted; null when fewer than MIN_CHARACTERS are left. */
function distinctGrams(text: string): Uint32Array | null {
  const { grams, kept } = textTrigrams(text);
  return kept < MIN_CHARACTERS ? null : distinctSorted(grams);
}

/**
 * The distinct character trigrams of a text as this rule compares texts
 * (spaces, digits and punctuation left out), sorted: for sortedSimilarity.
 */
export function sortedTrigrams(text: string): Uint32Array {
  return distinctSorted(textTrigrams(text).grams);
}

/**
 * MinHash signature over the distinct trigrams (a repeated trigram changes no
 * minimum): two hash functions per pass, their minimums kept in locals (the
 * two interleave, about a fifth faster than one at a time).
 */
function signatureOf(grams: Uint32Array): Uint32Array {
  const signature = new Uint32Array(HASHES);
  for (let h = 0; h < HASHES; h += 2) {
    const seedA = SEEDS[h] as number;
    const seedB = SEEDS[h + 1] as number;
    let minimumA = 0xffffffff;
    let minimumB = 0xffffffff;
    for (let i = 0; i < grams.length; i++) {
      const gram = grams[i] as number;
      const a = mixed(gram, seedA);
      const b = mixed(gram, seedB);
      if (a < minimumA) minimumA = a;
      if (b < minimumB) minimumB = b;
    }
    signature[h] = minimumA;
    signature[h + 1] = minimumB;
  }
  return signature;
}

/** A trigram hashed with a seed (the murmur3 finaliser). */
function mixed(gram: number, seed: number): number {
  let v = gram ^ seed;
  v = Math.imul(v ^ (v >>> 16), 0x85ebca6b);
  v = Math.imul(v ^ (v >>> 13), 0xc2b2ae35);
  return (v ^ (v >>> 16)) >>> 0;
}

/** The share of trigrams two texts have in common (Jaccard), over their sorted distinct trigrams. */
export function sortedSimilarity(a: Uint32Array, b: Uint32Array): number {
  let common = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

function signatureOfText(text: Shingles): Uint32Array {
  return (text.signature ??= signatureOf(text.grams));
}

/** Exact similarity, for last year's text: one comparison per report, no estimate first. */
function exactSimilarity(a: Shingles, b: Shingles): number {
  // Copied text is common, and the same text is the same trigrams.
  return a === b ? 1 : sortedSimilarity(a.grams, b.grams);
}

/** Exact similarity of candidates, after a signature estimate far below the threshold has ruled the pair out. */
function similarCandidate(a: Shingles, b: Shingles): number {
  if (a === b) return 1;
  const signatureA = signatureOfText(a);
  const signatureB = signatureOfText(b);
  let equal = 0;
  for (let h = 0; h < HASHES; h++) if (signatureA[h] === signatureB[h]) equal++;
  if (equal / HASHES < SIMILARITY - 0.3) return 0;
  return sortedSimilarity(a.grams, b.grams);
}

/** Texts already shingled in this check, by text: boilerplate copied by many bodies is shingled once. */
type TextMemo = Map<string, Shingles | null>;

function prepare(report: Report, memo: TextMemo): Shingled | null {
  const problems = report.sections.find((s) => s.id === 'problems');
  if (!problems) return null;
  let text = memo.get(problems.text);
  if (text === undefined) {
    const grams = distinctGrams(problems.text);
    text = grams ? { grams, signature: null } : null;
    memo.set(problems.text, text);
  }
  return text ? { report, body: bodyKey(report), text } : null;
}

function finding(of: Report, other: Report, score: number, sameBody: boolean): { file: string; message: Message } {
  const at = of.sections.find((s) => s.id === 'problems')?.position ?? { line: 1, column: 1 };
  const whose = sameBody ? `上一年（${reportYear(other)} 年，${other.file}）` : `${other.meta.agency ?? other.file} 同年的年报（${other.file}）`;
  return { file: of.file, message: { ruleId: repeatedText.id, severity: 'warning', line: at.line, column: at.column, cells: [],
    message: `五、存在的主要问题及改进情况与${whose}的相应部分约 ${Math.round(score * 100)}% 相同` } };
}

export const repeatedText: CollectionRule = {
  id: 'repeated-text',
  scope: 'collection',
  severity: 'warning',
  title: '内容年年雷同',
  description: `五、存在的主要问题及改进情况与本机关上一年，或与其他机关同年的年报几乎相同（按字符三元组计算相似度不低于 ${SIMILARITY * 100}%）时提示。`,
  basis: 'official',
  basisText: '国办公开办函〔2021〕30号：年报内容不得年年雷同',
  examples: {
    pass: [{ title: '逐年写出新的问题和措施', previous: exampleReport({ year: 2023, problems: '一是政策解读形式较为单一，图解和视频解读数量偏少；二是基层工作人员业务能力参差不齐。下一步将丰富解读形式，组织专题培训，每季度通报一次各单位公开情况，推动问题整改落实到位。' }),
      markdown: exampleReport({ year: 2024, problems: '一是依申请公开答复文书的说理不够充分；二是网站栏目更新存在滞后。下一步将制定答复文书范本，建立栏目更新台账，明确责任人和更新时限，并纳入年度考核，确保各项信息及时准确发布。' }) }],
    fail: [{ title: '照抄上一年', previous: exampleReport({ year: 2023, problems: '一是政策解读形式较为单一，图解和视频解读数量偏少；二是基层工作人员业务能力参差不齐。下一步将丰富解读形式，组织专题培训，每季度通报一次各单位公开情况，推动问题整改落实到位，确保公开工作取得实效。' }),
      markdown: exampleReport({ year: 2024, problems: '一是政策解读形式较为单一，图解和视频解读数量偏少；二是基层工作人员业务能力参差不齐。下一步将丰富解读形式，组织专题培训，每季度通报一次各单位公开情况，推动问题整改落实到位，确保公开工作取得实效。' }) }],
  },
  check(reports: readonly Report[]) {
    const out: { file: string; message: Message }[] = [];
    const memo: TextMemo = new Map();
    const prepared = new Map<Report, Shingled | null>();
    const get = (r: Report) => {
      let s = prepared.get(r);
      if (s === undefined) {
        s = prepare(r, memo);
        prepared.set(r, s);
      }
      return s;
    };
    for (const [previous, current] of consecutivePairs(reports)) {
      const a = get(previous);
      const b = get(current);
      if (!a || !b) continue;
      const score = exactSimilarity(a.text, b.text);
      if (score >= SIMILARITY) out.push(finding(current, previous, score, true));
    }
    // Other bodies, same year: candidates share a whole band of the signature. A report
    // alone in its year with a section 五 has no candidate, and its text is not shingled for them.
    const sharing = new Map<number, number>();
    for (const report of reports) {
      const year = reportYear(report);
      if (year !== null && report.sections.some((section) => section.id === 'problems')) sharing.set(year, (sharing.get(year) ?? 0) + 1);
    }
    const buckets = new Map<number, Shingled[]>();
    for (const report of reports) {
      const year = reportYear(report);
      if (year === null || (sharing.get(year) ?? 0) < 2) continue;
      const s = get(report);
      if (!s) continue;
      // Each candidate compared as it is found, in the order found: one finding per report (the first body it matches)
      // keeps boilerplate shared by many bodies linear, and once it is made no more candidates are gathered.
      const candidates = new Set<Shingled>();
      let matched = false;
      const signature = signatureOfText(s.text);
      for (let band = 0; band < HASHES; band += BAND) {
        // Colliding keys only add candidates, which the exact similarity then sorts out.
        let key = Math.imul(year, 0x9e3779b1) ^ band;
        for (let h = band; h < band + BAND; h++) key = Math.imul(key ^ (signature[h] as number), 0x01000193);
        const bucket = buckets.get(key);
        if (!bucket) {
          buckets.set(key, [s]);
          continue;
        }
        // Only the first candidates are ever compared; a bucket of boilerplate shared by thousands stays unread.
        for (let i = 0; i < bucket.length && !matched && candidates.size < MAX_COMPARISONS; i++) {
          const other = bucket[i] as Shingled;
          if (candidates.has(other)) continue;
          candidates.add(other);
          // Keys of other years may collide with this year's: such a candidate is no report of the same year.
          if (other.body === s.body || reportYear(other.report) !== year) continue;
          const score = similarCandidate(s.text, other.text);
          if (score < SIMILARITY) continue;
          out.push(finding(report, other.report, score, false));
          matched = true;
        }
        bucket.push(s);
      }
    }
    return out;
  },
};
