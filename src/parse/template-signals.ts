/** Telling the templates apart by the words they print (FORMAT.md §7). */
import { isSpaceCode } from '../template/cell-text.js';
import type { TemplateId } from '../template/layout.js';

/** Each signal is a word and its printed variants; whitespace may fall between its characters. */
const signals: Record<'2021' | '2019' | 'pre-2019', string[][]> = {
  '2021': [['本年制发件数'], ['本年废止件数'], ['现行有效件数'], ['本年处理决定数量'], ['本年收费金额']],
  '2019': [
    ['本年新制作数量'],
    ['上一年项目数量'],
    ['本年增/减', '本年增／减'],
    ['第二十条第（九）项', '第二十条第(九)项', '第二十条第（九)项', '第二十条第(九）项'],
    ['政府集中采购'],
    ['其他对外管理服务事项'],
  ],
  'pre-2019': [['指标名称'], ['计量单位'], ['历年累计'], ['收费及减免']],
};

const tableMarkers = [['本年新收政府信息公开申请数量'], ['上年结转政府信息公开申请数量']];

type SignalGroup = keyof typeof signals | 'table';

const groups: [SignalGroup, string[][]][] = [...(Object.entries(signals) as [SignalGroup, string[][]][]), ['table', tableMarkers]];
/** Every printed word, keyed by the signal (group and index) it prints, listed under its first character. */
const wordsByFirst = new Map<number, { word: string; key: string }[]>();
for (const [group, list] of groups) {
  list.forEach((variants, signal) => {
    for (const word of variants) {
      const first = word.charCodeAt(0);
      wordsByFirst.set(first, [...(wordsByFirst.get(first) ?? []), { word, key: `${group}${signal}` }]);
    }
  });
}
const firstCharacters = [...wordsByFirst].map(([code, list]) => [String.fromCharCode(code), list] as const);

/** Whether `word` is printed at `at`, whitespace between its characters allowed. */
function printedAt(text: string, at: number, word: string): boolean {
  let i = at;
  for (let k = 0; k < word.length; k++, i++) {
    while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** How many signals of each group the text prints, without a whitespace-free copy of it. */
function scores(text: string): Record<SignalGroup, number> {
  const seen = new Set<string>();
  // One native search per opening character; each place found is checked against that character's words.
  for (const [first, candidates] of firstCharacters) {
    for (let at = text.indexOf(first); at !== -1; at = text.indexOf(first, at + 1)) {
      for (const { word, key } of candidates) {
        if (!seen.has(key) && printedAt(text, at, word)) seen.add(key);
      }
    }
  }
  const result: Record<SignalGroup, number> = { '2021': 0, '2019': 0, 'pre-2019': 0, table: 0 };
  for (const [group, list] of groups) result[group] = list.filter((_, signal) => seen.has(`${group}${signal}`)).length;
  return result;
}

/** The template the text's own words point to; `unknown` when it names none. */
export function detectTemplate(text: string, year: number | null): TemplateId {
  // The national tables began with report-year 2019: an earlier report cannot follow them,
  // whatever its prose mentions (政府集中采购 appears in 2018 prose too).
  if (year !== null && year < 2019) return 'pre-2019';
  const found = scores(text);
  const s2021 = found['2021'];
  const s2019 = found['2019'];
  if (s2021 === 0 && s2019 === 0 && found.table === 0) {
    if (found['pre-2019'] > 0 || (year !== null && year < 2019)) return 'pre-2019';
    return 'unknown';
  }
  if (s2019 > s2021) return '2019';
  if (s2021 > s2019) return '2021';
  // Tables without the distinguishing table-二 headings: follow the year.
  return year !== null && year < 2021 ? '2019' : '2021';
}
