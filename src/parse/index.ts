/**
 * read → parse: bytes to a validated Report, through the adapter of the
 * form the source is in. A source that is not a report nianbao can read
 * gives a positioned failure instead.
 */
import { DecodeError, toSource } from '../read/index.js';
import type { Source } from '../read/source.js';
import { layouts } from '../template/layout.js';
import { emptyReport, type Message, type Report } from '../template/model.js';
import type { Adapter } from './adapter.js';
import { adapters } from './adapters.js';
import { pathMeta, resolveMeta, titleLineRead, type PartialMeta } from './meta.js';
import { proseToMarkdown } from './text-sections.js';
import { detectTemplate } from './template-signals.js';

export type ParseResult = { ok: true; report: Report } | { ok: false; file: string; error: Message };

function failure(file: string, ruleId: string, message: string, line = 1, column = 1): ParseResult {
  return { ok: false, file, error: { ruleId, severity: 'error', message, line, column } };
}

export function detectForm(source: Source): Adapter | undefined {
  let best: Adapter | undefined;
  let bestScore = 0;
  for (let i = 0; i < adapters.length; i++) {
    const adapter = adapters[i] as Adapter;
    const score = adapter.detect(source, { toBeat: bestScore, last: i === adapters.length - 1 });
    if (score > bestScore) {
      best = adapter;
      bestScore = score;
      // Scores stop at 1 and a later adapter must beat the best outright: no need to ask the rest.
      if (score >= 1) break;
    }
  }
  return best;
}

/**
 * The year as far as it is known before the adapter runs: it settles which
 * template to expect. (Crawler header lines state no year, so they are not asked.)
 */
function provisionalYear(source: Source, title: () => PartialMeta): number | null {
  const head = source.text.slice(0, 2000);
  // The pattern scans every line; the word it needs is found natively first, and most text has none.
  const frontMatterYear = head.includes('year') ? /^year\s*:\s*["']?(\d{4})/m.exec(head) : null;
  if (frontMatterYear) return Number(frontMatterYear[1]);
  return pathMeta(source.file).year ?? title().year ?? null;
}

/** The source's title line, read already, when the body opens as the source does as far as that reading went. */
function sameTitleLine(body: string, text: string, read: ReturnType<typeof titleLineRead> | undefined): PartialMeta | undefined {
  if (!read || read.through === null) return undefined;
  return body.length >= read.through && body.startsWith(text.slice(0, read.through)) ? read.title : undefined;
}

/** Messages about the template's tables and sections: meaningless for a report that has no template tables. */
const templateBound = new Set(['cell-unread', 'row-missing', 'section-missing', 'split-relations']);

/**
 * Loads what reading `source` needs (Adapter.prepare): awaited before
 * parseSource of a source that parseReport does not read.
 */
export async function prepareSource(source: Source): Promise<void> {
  await detectForm(source)?.prepare?.(source);
}

/** Loads what reading a source of any form may need (every Adapter.prepare). */
export async function prepareForms(): Promise<void> {
  await Promise.all(adapters.map((adapter) => adapter.prepare?.()));
}

/** Reads a source whose adapter's preparation for it was awaited (prepareSource). */
export function parseSource(source: Source): ParseResult {
  return readWith(source, detectForm(source));
}

function readWith(source: Source, adapter: Adapter | undefined): ParseResult {
  if (!adapter) {
    return failure(
      source.file,
      'form-unknown',
      '无法识别文件形式：应为 Markdown（带前置元数据）、逐格分行文本、网页抓取文本、PDF 提取文本、HTML、Word 或 PDF 之一',
    );
  }
  // The title line of the whole text, read at most once: the year wants it, and so does the metadata when the body is the whole text.
  let sourceTitle: ReturnType<typeof titleLineRead> | undefined;
  const title = () => (sourceTitle ??= titleLineRead(source.text)).title;
  const template = detectTemplate(source.text, provisionalYear(source, title));
  const layout = template === '2021' || template === '2019' ? layouts[template] : null;
  const reading = adapter.read(source, { template, layout });
  const report = emptyReport(source.file, adapter.id);
  report.template = reading.template ?? template;
  const { meta, messages } = resolveMeta(
    source,
    { frontMatter: reading.stated, header: {} },
    reading.body,
    reading.body === source.text ? title() : sameTitleLine(reading.body, source.text, sourceTitle),
  );
  report.meta = meta;
  report.accepted = reading.accepted ?? [];
  if (report.template === 'pre-2019' || report.template === 'unknown') {
    report.sections = [{ id: 'overview', title: '全文', text: proseToMarkdown(reading.body), position: { line: 1, column: 1 } }];
    // What the adapter said about the source itself (a page too large, nesting cut) still stands; what it said about the template's tables and sections does not.
    report.messages = [...messages, ...reading.messages.filter((m) => !templateBound.has(m.ruleId))];
    return { ok: true, report };
  }
  report.sections = reading.sections;
  report.tables = reading.tables;
  report.messages = [...messages, ...reading.messages];
  return { ok: true, report };
}

/** Parses one file's bytes. Never throws: anything unexpected becomes a failure naming the file. */
export async function parseReport(file: string, bytes: Uint8Array): Promise<ParseResult> {
  let source: Source;
  try {
    source = await toSource(file, bytes);
  } catch (error) {
    if (error instanceof DecodeError) return failure(file, 'decode', error.message, error.line, error.column);
    return failure(file, 'read', `无法读取文件：${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const adapter = detectForm(source);
    await adapter?.prepare?.(source);
    return readWith(source, adapter);
  } catch (error) {
    return failure(file, 'internal', `读取时发生内部错误：${error instanceof Error ? error.message : String(error)}`);
  }
}
