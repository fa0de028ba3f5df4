/** Telling the templates apart by the words they print (FORMAT.md §7). */
import type { TemplateId } from '../template/layout.js';

/**
 * Each signal is a word and its printed variants, sought in the text without
 * whitespace; plain substring search, as this runs over every report's whole text.
 */
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

function score(text: string, words: string[][]): number {
  return words.filter((variants) => variants.some((word) => text.includes(word))).length;
}

/** The template the text's own words point to; `unknown` when it names none. */
export function detectTemplate(text: string, year: number | null): TemplateId {
  // The national tables began with report-year 2019: an earlier report cannot follow them,
  // whatever its prose mentions (政府集中采购 appears in 2018 prose too).
  if (year !== null && year < 2019) return 'pre-2019';
  const compact = text.replace(/\s+/g, '');
  const s2021 = score(compact, signals['2021']);
  const s2019 = score(compact, signals['2019']);
  const hasTable三 = score(compact, tableMarkers) > 0;
  if (s2021 === 0 && s2019 === 0 && !hasTable三) {
    if (score(compact, signals['pre-2019']) > 0 || (year !== null && year < 2019)) return 'pre-2019';
    return 'unknown';
  }
  if (s2019 > s2021) return '2019';
  if (s2021 > s2019) return '2021';
  // Tables without the distinguishing table-二 headings: follow the year.
  return year !== null && year < 2021 ? '2019' : '2021';
}
