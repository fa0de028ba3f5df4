/**
 * Report metadata from, in order of trust: front matter (the Markdown
 * adapter's), crawler or page header lines, the path convention
 * `<body>/<year>.<ext>`, the title line, and last the prose (with a warning).
 */
import { toHalfWidthDigits } from '../template/cell-text.js';
import type { Message, Meta } from '../template/model.js';
import type { Source } from '../read/source.js';

export type PartialMeta = Partial<Meta>;

const headerKeys: Record<string, keyof Meta> = {
  标题: 'title',
  发布时间: 'published',
  发布日期: 'published',
  发布机构: 'agency',
  索引号: 'indexNo',
};

/** Normalises 2026-03-10 12:56, 2026年3月10日, 2026/3/10 to YYYY-MM-DD. */
export function normaliseDate(text: string): string | null {
  const match = /(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/.exec(toHalfWidthDigits(text));
  if (!match) return null;
  const [, y, m, d] = match;
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `标题: …` style lines at the top of crawled text. */
export function headerLines(text: string): PartialMeta {
  const meta: PartialMeta = {};
  for (const line of text.split('\n', 40)) {
    const match = /^\s*(标题|发布时间|发布日期|发布机构|索引号)\s*[:：]\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const key = headerKeys[match[1] ?? ''];
    const value = match[2] ?? '';
    if (!key || value === '') continue;
    if (key === 'published') meta.published = normaliseDate(value);
    else if (key === 'title' || key === 'agency' || key === 'indexNo') meta[key] = value;
  }
  return meta;
}

/** `…/<body>/<year>.<ext>` */
export function pathMeta(file: string): PartialMeta {
  const parts = file.split(/[\\/]/);
  const base = parts.at(-1) ?? '';
  const match = /^(\d{4})(?:\.[^.]+)+$/.exec(base);
  if (!match || parts.length < 2) return {};
  const body = parts.at(-2);
  return { year: Number(match[1]), ...(body ? { agency: body } : {}) };
}

const TITLE = /^(.*?)\s*(\d{4})\s*年(?:度)?\s*(?:政府信息公开|政务公开|信息公开)\S*?(?:年度)?报告/;

/** The title, from the first lines of the body (titles are often broken over two lines). */
export function titleLine(text: string): PartialMeta {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^#+\s*/, '').trim())
    .filter((l) => l !== '' && l !== '正文');
  for (let i = 0; i < Math.min(lines.length, 6); i++) {
    const one = lines[i] ?? '';
    const two = one + (lines[i + 1] ?? '');
    for (const candidate of [one, two]) {
      const match = TITLE.exec(toHalfWidthDigits(candidate));
      if (match && candidate.length < 80) {
        const agency = (match[1] ?? '').replace(/\s+/g, '');
        return {
          title: candidate.replace(/\s+/g, ''),
          year: Number(match[2]),
          ...(agency ? { agency } : {}),
        };
      }
    }
  }
  return {};
}

const AGENCY_SUFFIX = '(?:人民政府|政府办公室|办公室|管理局|委员会|局|委|厅|办|院|中心|署|部)';

/** Last resort: the year of the statistics period and an agency named in the prose. */
export function proseMeta(text: string): PartialMeta {
  const meta: PartialMeta = {};
  const flat = toHalfWidthDigits(text);
  const period = /统计(?:期限|周期|时限)[^\d]{0,6}(\d{4})\s*年/.exec(flat) ?? /(\d{4})\s*年/.exec(flat);
  if (period) meta.year = Number(period[1]);
  const agency = new RegExp(`《([^《》]{2,30}?${AGENCY_SUFFIX})\\d{4}年`).exec(flat);
  if (agency?.[1]) meta.agency = agency[1];
  return meta;
}

const PLACE = /(?:[\u4e00-\u9fa5]{1,6}?(?:省|自治区|自治州|市|州|盟|地区|县))+/.source;

/**
 * A title may name the body without its place (洪泽区人民政府) where the
 * opening sentence names it in full (本报告由淮安市洪泽区人民政府办公室…).
 */
export function qualifiedAgency(body: string, agency: string): string {
  const opening = body.slice(0, 1000).replace(/\s+/g, '');
  const escaped = agency.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`[由与](${PLACE})${escaped}`).exec(opening);
  return match?.[1] ? `${match[1]}${agency}` : agency;
}

/**
 * Merges metadata sources, earlier ones winning, and warns where a field
 * came from the prose alone.
 */
export function resolveMeta(
  source: Source,
  layers: { frontMatter?: PartialMeta; header?: PartialMeta },
  body: string,
): { meta: Meta; messages: Message[] } {
  const fromPath = pathMeta(source.file);
  const fromTitle = titleLine(body);
  const ordered = [layers.frontMatter ?? {}, layers.header ?? {}, fromPath, fromTitle];
  const pick = <K extends keyof Meta>(key: K): Meta[K] | undefined =>
    ordered.map((layer) => layer[key]).find((v) => v !== undefined && v !== null && v !== '');
  const agency = pick('agency') ?? null;
  const agencyFromTitle = agency !== null && [layers.frontMatter, layers.header, fromPath].every((l) => !l?.agency);
  const meta: Meta = {
    agency: agency !== null && agencyFromTitle ? qualifiedAgency(body, agency) : agency,
    year: pick('year') ?? null,
    title: pick('title') ?? null,
    published: pick('published') ?? null,
    indexNo: pick('indexNo') ?? null,
  };
  const combines = pick('combines');
  if (combines) meta.combines = combines;
  const from = pick('source');
  if (from) meta.source = from;
  const messages: Message[] = [];
  if (meta.year === null || meta.agency === null) {
    const guessed = proseMeta(body);
    for (const key of ['year', 'agency'] as const) {
      const value = guessed[key];
      if (meta[key] !== null || value === undefined) continue;
      (meta as unknown as Record<string, unknown>)[key] = value;
      messages.push({
        ruleId: 'meta-inferred',
        severity: 'warning',
        message: `${key === 'year' ? '年度' : '发布机构'}“${value}”系从正文推断，建议在元数据中写明`,
        line: 1,
        column: 1,
      });
    }
  }
  return { meta, messages };
}
