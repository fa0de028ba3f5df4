/**
 * repeated-text: section 五 nearly identical to last year's or to another
 * body's of the same year. Texts are compared as sets of character
 * trigrams; across bodies, MinHash bands pick the candidate pairs so that
 * the cost grows with the number of reports, not its square.
 */
import type { Message, Report } from '../template/model.js';
import { bodyKey, consecutivePairs, reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import type { CollectionRule } from './types.js';

export const SIMILARITY = 0.9;
/** Short texts (“无”, one sentence) are alike by nature. */
const MIN_CHARACTERS = 80;
const HASHES = 16;
const BAND = 4;
/** Candidates compared per report: enough for real collisions, bounded for boilerplate. */
const MAX_COMPARISONS = 64;
const SEEDS = Array.from({ length: HASHES }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ 0x85ebca6b) >>> 0);
const IGNORED = /[\s\d０-９，。、；：,.;:（）()“”"'《》\-—#*|]/g;

interface Shingled {
  report: Report;
  plain: string;
  signature: Uint32Array;
  grams?: Set<number>;
}

function gramAt(plain: string, i: number): number {
  return (Math.imul(plain.charCodeAt(i), 0x01000193) ^ Math.imul(plain.charCodeAt(i + 1), 0x5bd1e995) ^ plain.charCodeAt(i + 2)) >>> 0;
}

/** MinHash signature in one pass over the trigrams (a repeated trigram changes no minimum). */
function signatureOf(plain: string): Uint32Array {
  const signature = new Uint32Array(HASHES).fill(0xffffffff);
  for (let i = 0; i + 2 < plain.length; i++) {
    const g = gramAt(plain, i);
    for (let h = 0; h < HASHES; h++) {
      let v = g ^ (SEEDS[h] as number);
      v = Math.imul(v ^ (v >>> 16), 0x85ebca6b);
      v = Math.imul(v ^ (v >>> 13), 0xc2b2ae35);
      v = (v ^ (v >>> 16)) >>> 0;
      if (v < (signature[h] as number)) signature[h] = v;
    }
  }
  return signature;
}

/** The trigram set, built only for the pairs whose signatures are close. */
function gramsOf(s: Shingled): Set<number> {
  if (!s.grams) {
    s.grams = new Set<number>();
    for (let i = 0; i + 2 < s.plain.length; i++) s.grams.add(gramAt(s.plain, i));
  }
  return s.grams;
}

/** The character trigrams of a text as this rule compares texts (spaces, digits and punctuation left out). */
export function trigrams(text: string): Set<number> {
  const plain = text.replace(IGNORED, '');
  const grams = new Set<number>();
  for (let i = 0; i + 2 < plain.length; i++) grams.add(gramAt(plain, i));
  return grams;
}

export function similarity(a: Set<number>, b: Set<number>): number {
  let common = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) common++;
  return common / (a.size + b.size - common);
}

/** Exact similarity, after a signature estimate far below the threshold has ruled the pair out. */
function similar(a: Shingled, b: Shingled): number {
  let equal = 0;
  for (let h = 0; h < HASHES; h++) if (a.signature[h] === b.signature[h]) equal++;
  if (equal / HASHES < SIMILARITY - 0.3) return 0;
  return similarity(gramsOf(a), gramsOf(b));
}

function prepare(report: Report): Shingled | null {
  const problems = report.sections.find((s) => s.id === 'problems');
  if (!problems) return null;
  const plain = problems.text.replace(IGNORED, '');
  return plain.length < MIN_CHARACTERS ? null : { report, plain, signature: signatureOf(plain) };
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
    const prepared = new Map<Report, Shingled | null>();
    const get = (r: Report) => {
      if (!prepared.has(r)) prepared.set(r, prepare(r));
      return prepared.get(r) ?? null;
    };
    for (const [previous, current] of consecutivePairs(reports)) {
      const a = get(previous);
      const b = get(current);
      if (!a || !b) continue;
      const score = similar(a, b);
      if (score >= SIMILARITY) out.push(finding(current, previous, score, true));
    }
    // Other bodies, same year: candidates share a whole band of the signature.
    const buckets = new Map<number, Shingled[]>();
    for (const report of reports) {
      const year = reportYear(report);
      const s = get(report);
      if (year === null || !s) continue;
      const candidates = new Set<Shingled>();
      for (let band = 0; band < HASHES; band += BAND) {
        // Colliding keys only add candidates, which the exact similarity then sorts out.
        let key = Math.imul(year, 0x9e3779b1) ^ band;
        for (let h = band; h < band + BAND; h++) key = Math.imul(key ^ (s.signature[h] as number), 0x01000193);
        const bucket = buckets.get(key);
        if (bucket) {
          for (const other of bucket) candidates.add(other);
          bucket.push(s);
        } else buckets.set(key, [s]);
      }
      // One finding per report (the first body it matches) keeps boilerplate shared by many bodies linear.
      let compared = 0;
      for (const other of candidates) {
        if (compared++ >= MAX_COMPARISONS) break;
        if (bodyKey(other.report) === bodyKey(report)) continue;
        const score = similar(s, other);
        if (score < SIMILARITY) continue;
        out.push(finding(report, other.report, score, false));
        break;
      }
    }
    return out;
  },
};
