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
/**
 * The printed words as a tree of their characters; a word's last node names the signals (their numbers in
 * `signalGroups`) it prints. A node's children are few (at most six): parallel arrays scanned in order cost
 * less than a map's hashing.
 */
interface WordNode {
  codes: number[];
  children: WordNode[];
  signals: number[];
}

function child(node: WordNode, code: number): WordNode | undefined {
  const codes = node.codes;
  for (let k = 0; k < codes.length; k++) if (codes[k] === code) return node.children[k];
  return undefined;
}

/** The group of each signal, by the signal's number. */
const signalGroups: SignalGroup[] = [];
const words: WordNode = { codes: [], children: [], signals: [] };
for (const [group, list] of groups) {
  for (const variants of list) {
    const signal = signalGroups.push(group) - 1;
    for (const word of variants) {
      let node = words;
      for (let k = 0; k < word.length; k++) {
        const code = word.charCodeAt(k);
        let next = child(node, code);
        if (!next) {
          next = { codes: [], children: [], signals: [] };
          node.codes.push(code);
          node.children.push(next);
        }
        node = next;
      }
      node.signals.push(signal);
    }
  }
}
/** The units that open a word, as one character class: the regular expression engine finds the next in native code. */
const OPENING = new RegExp(`[${words.codes.map((code) => `\\u${code.toString(16).padStart(4, '0')}`).join('')}]`, 'g');

/** How many signals of each group the text prints, whitespace allowed between a word's characters. */
function scores(text: string): Record<SignalGroup, number> {
  const seen = new Uint8Array(signalGroups.length);
  // The few units that open a word are found by one native scan (a loop over every code unit in script cost twice
  // as much); from each, the tree is walked along the text.
  OPENING.lastIndex = 0;
  while (OPENING.test(text)) {
    const at = OPENING.lastIndex - 1;
    let node = child(words, text.charCodeAt(at));
    for (let i = at + 1; node; i++) {
      for (const signal of node.signals) seen[signal] = 1;
      while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
      node = child(node, text.charCodeAt(i));
    }
  }
  const result: Record<SignalGroup, number> = { '2021': 0, '2019': 0, 'pre-2019': 0, table: 0 };
  for (let signal = 0; signal < signalGroups.length; signal++) if (seen[signal]) result[signalGroups[signal] as SignalGroup]++;
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
