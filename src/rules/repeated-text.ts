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
const HASHES = 32;
const BAND = 4;
const SEEDS = Array.from({ length: HASHES }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ 0x85ebca6b) >>> 0);
const IGNORED = /[\s\d０-９，。、；：,.;:（）()“”"'《》\-—#*|]/g;

interface Shingled {
  report: Report;
  grams: Set<number>;
  signature: Uint32Array;
}

function shingles(text: string): Set<number> | null {
  const plain = text.replace(IGNORED, '');
  if (plain.length < MIN_CHARACTERS) return null;
  const grams = new Set<number>();
  for (let i = 0; i + 2 < plain.length; i++) {
    grams.add((Math.imul(plain.charCodeAt(i), 0x01000193) ^ Math.imul(plain.charCodeAt(i + 1), 0x5bd1e995) ^ plain.charCodeAt(i + 2)) >>> 0);
  }
  return grams;
}

function signatureOf(grams: Set<number>): Uint32Array {
  const signature = new Uint32Array(HASHES).fill(0xffffffff);
  for (const g of grams) {
    for (let h = 0; h < HASHES; h++) {
      const v = Math.imul(g ^ (SEEDS[h] as number), 0x2c1b3c6d) >>> 0;
      if (v < (signature[h] as number)) signature[h] = v;
    }
  }
  return signature;
}

export function similarity(a: Set<number>, b: Set<number>): number {
  let common = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) common++;
  return common / (a.size + b.size - common);
}

function prepare(report: Report): Shingled | null {
  const problems = report.sections.find((s) => s.id === 'problems');
  const grams = problems ? shingles(problems.text) : null;
  return grams ? { report, grams, signature: signatureOf(grams) } : null;
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
      const score = similarity(a.grams, b.grams);
      if (score >= SIMILARITY) out.push(finding(current, previous, score, true));
    }
    // Other bodies, same year: candidates share a whole band of the signature.
    const buckets = new Map<string, Shingled[]>();
    const reported = new Set<string>();
    for (const report of reports) {
      const year = reportYear(report);
      const s = get(report);
      if (year === null || !s) continue;
      const candidates = new Set<Shingled>();
      for (let band = 0; band < HASHES; band += BAND) {
        const key = `${year}:${band}:${s.signature.subarray(band, band + BAND).join(',')}`;
        const bucket = buckets.get(key);
        if (bucket) {
          for (const other of bucket) candidates.add(other);
          bucket.push(s);
        } else buckets.set(key, [s]);
      }
      for (const other of candidates) {
        if (bodyKey(other.report) === bodyKey(report)) continue;
        const pair = `${other.report.file}\u0000${report.file}`;
        if (reported.has(pair)) continue;
        const score = similarity(s.grams, other.grams);
        if (score < SIMILARITY) continue;
        reported.add(pair);
        out.push(finding(report, other.report, score, false));
      }
    }
    return out;
  },
};
