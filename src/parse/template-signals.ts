/** Telling the templates apart by the words they print (FORMAT.md §7). */
import { isSpaceCode } from '../template/cell-text.js';
import type { TemplateId } from '../template/layout.js';

/**
 * A signal is a word and its printed variants; whitespace may fall between its characters. The text is searched for
 * the anchor, a character of every variant, and the variants are matched outwards from it. Anchors are characters
 * report prose seldom prints (政, 本, 第 open words but fill every report), shared where words share one (数量, 件数):
 * the native search slows with every character it looks for.
 */
interface Signal {
  anchor: string;
  variants: string[];
}

const signal = (anchor: string, ...variants: string[]): Signal => ({ anchor, variants });

const signals: Record<'2021' | '2019' | 'pre-2019', Signal[]> = {
  '2021': [
    signal('件', '本年制发件数'),
    signal('件', '本年废止件数'),
    signal('件', '现行有效件数'),
    signal('量', '本年处理决定数量'),
    signal('额', '本年收费金额'),
  ],
  '2019': [
    signal('量', '本年新制作数量'),
    signal('量', '上一年项目数量'),
    signal('增', '本年增/减', '本年增／减'),
    signal('九', '第二十条第（九）项', '第二十条第(九)项', '第二十条第（九)项', '第二十条第(九）项'),
    signal('集', '政府集中采购'),
    signal('外', '其他对外管理服务事项'),
  ],
  'pre-2019': [signal('名', '指标名称'), signal('量', '计量单位'), signal('历', '历年累计'), signal('免', '收费及减免')],
};

const tableMarkers = [signal('量', '本年新收政府信息公开申请数量'), signal('量', '上年结转政府信息公开申请数量')];

type SignalGroup = keyof typeof signals | 'table';

const groups: [SignalGroup, Signal[]][] = [...(Object.entries(signals) as [SignalGroup, Signal[]][]), ['table', tableMarkers]];

/** A variant as matched from its anchor: the anchor's index in it and the signal (its number in `signalGroups`) it prints. */
interface AnchoredWord {
  word: string;
  anchorAt: number;
  signal: number;
}

/** The group of each signal, by the signal's number. */
const signalGroups: SignalGroup[] = [];
/** The variants by their anchor's code unit. */
const byAnchor = new Map<number, AnchoredWord[]>();
for (const [group, list] of groups) {
  for (const { anchor, variants } of list) {
    const number = signalGroups.push(group) - 1;
    const code = anchor.charCodeAt(0);
    const words = byAnchor.get(code) ?? [];
    for (const word of variants) {
      const anchorAt = word.indexOf(anchor);
      // A variant without its anchor would be matched from the wrong character: a mistake in the list above.
      if (anchorAt === -1) throw new Error(`signal anchor ${anchor} not in ${word}`);
      words.push({ word, anchorAt, signal: number });
    }
    byAnchor.set(code, words);
  }
}
/** The anchors as one character class: the regular expression engine finds the next in native code. */
const ANCHOR = new RegExp(`[${[...byAnchor.keys()].map((code) => `\\u${code.toString(16).padStart(4, '0')}`).join('')}]`, 'g');

/** Whether `word` is printed with its anchor at text[at], whitespace allowed between its characters. */
function printedAround(text: string, at: number, { word, anchorAt }: AnchoredWord): boolean {
  let i = at;
  for (let k = anchorAt - 1; k >= 0; k--) {
    i--;
    while (i >= 0 && isSpaceCode(text.charCodeAt(i))) i--;
    if (i < 0 || text.charCodeAt(i) !== word.charCodeAt(k)) return false;
  }
  i = at;
  for (let k = anchorAt + 1; k < word.length; k++) {
    i++;
    while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
    if (i === text.length || text.charCodeAt(i) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** How many signals of each group the text prints, whitespace allowed between a word's characters. */
function scores(text: string): Record<SignalGroup, number> {
  const seen = new Uint8Array(signalGroups.length);
  ANCHOR.lastIndex = 0;
  while (ANCHOR.test(text)) {
    const at = ANCHOR.lastIndex - 1;
    for (const word of byAnchor.get(text.charCodeAt(at)) ?? []) if (!seen[word.signal] && printedAround(text, at, word)) seen[word.signal] = 1;
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
