/**
 * Report metadata from, in order of trust: front matter (the Markdown
 * adapter's), crawler or page header lines, the path convention
 * `<body>/<year>.<ext>`, the title line, and last the prose (with a warning).
 */
import { isSpaceCode, skipSpaces, toHalfWidthDigits } from '../template/cell-text.js';
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

/** The first units of the header keys. */
const FIELD_OPENINGS = new Set(Object.keys(headerKeys).map((key) => key.charCodeAt(0)));

/** `标题: …` style lines at the top of crawled text. */
export function headerLines(text: string): PartialMeta {
  const meta: PartialMeta = {};
  // The first 40 lines walked in place: a limited split measured slower on a whole report's text, which cell-lines passes.
  for (let start = 0, count = 0; count < 40 && start <= text.length; count++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const lineStart = start;
    start = end + 1;
    // Only a line whose first word opens with 标, 发 or 索 can be a field: the others make no string and run no pattern.
    if (!FIELD_OPENINGS.has(text.charCodeAt(skipSpaces(text, lineStart, end)))) continue;
    const line = text.slice(lineStart, end);
    // Greedy value trimmed afterwards: a lazy value before `\s*$` backtracks quadratically on long blank runs.
    const match = /^\s*(标题|发布时间|发布日期|发布机构|索引号)\s*[:：](.*)$/.exec(line);
    if (!match) continue;
    const key = headerKeys[match[1] ?? ''];
    const value = (match[2] ?? '').trim();
    if (!key || value === '') continue;
    if (key === 'published') meta.published = normaliseDate(value);
    else if (key === 'title' || key === 'agency' || key === 'indexNo') meta[key] = value;
  }
  return meta;
}

/** `…/<body>/<year>.<ext>` */
export function pathMeta(file: string): PartialMeta {
  // The last two parts found from the end: every parse asks, and a split made an array of the whole path.
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  if (slash === -1) return {};
  const match = /^(\d{4})(?:\.[^.]+)+$/.exec(file.slice(slash + 1));
  if (!match) return {};
  const bodyStart = slash === 0 ? 0 : Math.max(file.lastIndexOf('/', slash - 1), file.lastIndexOf('\\', slash - 1)) + 1;
  const body = file.slice(bodyStart, slash);
  return { year: Number(match[1]), ...(body ? { agency: body } : {}) };
}

const TITLE = /^(.*?)\s*(\d{4})\s*年(?:度)?\s*(?:政府信息公开|政务公开|信息公开)\S*?(?:年度)?报告/;

/**
 * The first `count` non-empty lines, without Markdown heading marks; the rest of the text is not touched.
 * `through` is the offset just past the last line's line break, null when the lines reach the text's end.
 */
function leadingLines(text: string, count: number): { lines: string[]; through: number | null } {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count && start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end).replace(/^#+\s*/, '').trim();
    if (line !== '' && line !== '正文') lines.push(line);
    start = end === -1 ? text.length : end + 1;
  }
  return { lines, through: lines.length === count && text.charCodeAt(start - 1) === 0x0a ? start : null };
}

/**
 * The title, from the first lines of the body (titles are often broken over
 * two lines), and how far it read: a text that opens with the same
 * text[0, through) has the same title line. `through` is null when it read to the end.
 */
export function titleLineRead(text: string): { title: PartialMeta; through: number | null } {
  const { lines, through } = leadingLines(text, 7);
  for (let i = 0; i < Math.min(lines.length, 6); i++) {
    const one = lines[i] ?? '';
    const two = one + (lines[i + 1] ?? '');
    for (const candidate of [one, two]) {
      // Length first: TITLE's lazy prefix is quadratic on a long line, and a title is never long.
      if (candidate.length >= 80) continue;
      const match = TITLE.exec(toHalfWidthDigits(candidate));
      if (match) {
        const agency = (match[1] ?? '').replace(/\s+/g, '');
        return {
          title: { title: candidate.replace(/\s+/g, ''), year: Number(match[2]), ...(agency ? { agency } : {}) },
          through,
        };
      }
    }
  }
  return { title: {}, through };
}

export function titleLine(text: string): PartialMeta {
  return titleLineRead(text).title;
}

const AGENCY_SUFFIX = '(?:人民政府|政府办公室|办公室|管理局|委员会|局|委|厅|办|院|中心|署|部)';
/** A report's own name quoted in its prose: 《<agency><year>年…》. */
const QUOTED_AGENCY = new RegExp(`《([^《》]{2,30}?${AGENCY_SUFFIX})\\d{4}年`);

/** Last resort: the year of the statistics period and an agency named in the prose. */
export function proseMeta(text: string): PartialMeta {
  const meta: PartialMeta = {};
  const flat = toHalfWidthDigits(text);
  const period = /统计(?:期限|周期|时限)[^\d]{0,6}(\d{4})\s*年/.exec(flat) ?? /(\d{4})\s*年/.exec(flat);
  if (period) meta.year = Number(period[1]);
  const agency = QUOTED_AGENCY.exec(flat);
  if (agency?.[1]) meta.agency = agency[1];
  return meta;
}

const PLACE_SUFFIXES = ['省', '自治区', '自治州', '市', '州', '盟', '地区', '县'];
/** The suffixes by their first code unit: most characters open none, and the test is one lookup. */
const SUFFIXES_BY_FIRST = new Map<number, string[]>();
for (const suffix of PLACE_SUFFIXES) {
  const first = suffix.charCodeAt(0);
  SUFFIXES_BY_FIRST.set(first, [...(SUFFIXES_BY_FIRST.get(first) ?? []), suffix]);
}
/** Longest place chain considered before a body's name (省+市+县 with long names fit well within). */
const MAX_PLACE_CHAIN = 40;

/** A CJK unified ideograph of the basic block's common range (U+4E00–U+9FA5). */
function isHanCode(code: number): boolean {
  return code >= 0x4e00 && code <= 0x9fa5;
}

/**
 * Whether text is a chain of place names, each one to six characters and a
 * suffix (江苏省淮安市). Dynamic programming, linear: the equivalent nested
 * regular expression backtracks exponentially on a run of suffix characters.
 */
function isPlaceChain(text: string): boolean {
  const reachable = new Uint8Array(text.length + 1);
  reachable[0] = 1;
  for (let start = 0; start < text.length; start++) {
    if (reachable[start] === 0) continue;
    for (let length = 1; length <= 6 && start + length < text.length; length++) {
      if (!isHanCode(text.charCodeAt(start + length - 1))) break;
      const suffixes = SUFFIXES_BY_FIRST.get(text.charCodeAt(start + length));
      if (!suffixes) continue;
      for (const suffix of suffixes) {
        if (text.startsWith(suffix, start + length)) reachable[start + length + suffix.length] = 1;
      }
    }
  }
  return reachable[text.length] === 1;
}

/**
 * A title may name the body without its place (洪泽区人民政府) where the
 * opening sentence names it in full (本报告由淮安市洪泽区人民政府办公室…).
 */
export function qualifiedAgency(body: string, agency: string): string {
  if (agency === '') return agency;
  const head = body.slice(0, 1000);
  // Each 由 or 与 in turn, with what follows it read without whitespace only as far as a place chain and the agency
  // reach: the opening's whitespace taken out as a whole cost more than the rest of the metadata.
  const reach = 1 + MAX_PLACE_CHAIN + agency.length;
  for (let by = nextByOrWith(head, 0); by !== -1; by = nextByOrWith(head, by + 1)) {
    const after = withoutSpaces(head, by, reach);
    for (let at = after.indexOf(agency, 2); at !== -1 && at + agency.length <= after.length; at = after.indexOf(agency, at + 1)) {
      const place = after.slice(1, at);
      if (isPlaceChain(place)) return `${place}${agency}`;
    }
  }
  return agency;
}

/** The first 由 or 与 of text from `from` on, -1 when there is none. */
function nextByOrWith(text: string, from: number): number {
  const by = text.indexOf('由', from);
  const withAt = text.indexOf('与', from);
  return by === -1 || withAt === -1 ? Math.max(by, withAt) : Math.min(by, withAt);
}

/** The first `count` units of text from `from` on that are not whitespace (fewer when the text ends first). */
function withoutSpaces(text: string, from: number, count: number): string {
  let kept = '';
  let run = from;
  let at = from;
  for (; at < text.length && kept.length + (at - run) < count; at++) {
    if (!isSpaceCode(text.charCodeAt(at))) continue;
    kept += text.slice(run, at);
    run = at + 1;
  }
  return kept + text.slice(run, at);
}

/**
 * Merges metadata sources, earlier ones winning, and warns where a field
 * came from the prose alone.
 */
export function resolveMeta(
  source: Source,
  layers: { frontMatter?: PartialMeta; header?: PartialMeta },
  body: string,
  /** The body's title line when the caller has read it already. */
  fromTitle: PartialMeta = titleLine(body),
): { meta: Meta; messages: Message[] } {
  const fromPath = pathMeta(source.file);
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
