/**
 * The report from a page's blocks — paragraphs and table grids in reading
 * order — whatever the form they came from (HTML, Word through HTML, PDF
 * geometry): sections from the text, tables from the grids, metadata from
 * what the page states, its title and, last, its opening sentence.
 */
import { layouts, sections as sectionDefs } from '../../template/layout.js';
import type { Message, Position, Section } from '../../template/model.js';
import type { Reading } from '../adapter.js';
import { pathMeta, proseMeta, qualifiedAgency, type PartialMeta } from '../meta.js';
import { findSections, type SectionSpan } from '../sections.js';
import { detectTemplate } from '../template-signals.js';
import { proseToMarkdown } from '../text-sections.js';
import { TABLE_LINE } from './blocks.js';
import type { Grid } from './grid.js';
import { agencyFromOverview, titleParts } from './meta.js';
import { readGrids } from './tables.js';

export type ReportBlock = { kind: 'text'; text: string; position: Position | null } | { kind: 'table'; grid: Grid; position: Position | null };

export interface JoinedBlocks {
  text: string;
  /** Offset in `text` where each block starts (a typed array: a huge page's million offsets are nothing for the collector to look through). */
  starts: Int32Array;
}

/** The blocks' texts (a table's is TABLE_LINE) joined as joinTexts joins them. */
export function joinBlocks(blocks: readonly { kind: string; text?: string }[]): JoinedBlocks {
  // Sized once: pushing a million texts copies the growing array over and over.
  const texts = new Array<string>(blocks.length);
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index] as { kind: string; text?: string };
    texts[index] = block.kind === 'table' ? TABLE_LINE : (block.text ?? '');
  }
  return joinTexts(texts);
}

/**
 * Joined once, by one join of the texts: appending to a string a million
 * times builds a million linked pieces for the collector to copy, and a
 * separator pushed between texts doubles the parts. Texts before the first
 * that is not empty are not separated from it.
 */
export function joinTexts(texts: readonly string[]): JoinedBlocks {
  const starts = new Int32Array(texts.length);
  let first = 0;
  while (first < texts.length && texts[first] === '') first++;
  let length = -1;
  for (let index = first; index < texts.length; index++) {
    starts[index] = length + 1;
    length += (texts[index] as string).length + 1;
  }
  return { text: (first === 0 ? texts : texts.slice(first)).join('\n'), starts };
}

/** The last block starting at or before the offset (blocks without text share their start with the next). */
export function blockAt(joined: JoinedBlocks, offset: number): number {
  const starts = joined.starts;
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle + 1;
    else high = middle;
  }
  return Math.max(low - 1, 0);
}

function withoutTableLines(text: string): string {
  if (!text.includes(TABLE_LINE)) return text;
  return text
    .split('\n')
    .filter((line) => line !== TABLE_LINE)
    .join('\n');
}

/** One warning per section the page does not have, placed after the section before it. */
function missingSections(spans: SectionSpan[], joined: JoinedBlocks, blocks: readonly ReportBlock[]): Message[] {
  return sectionDefs
    .filter((def) => !spans.some((s) => s.id === def.id))
    .map((def) => {
      const index = sectionDefs.indexOf(def);
      const before = spans.filter((s) => sectionDefs.findIndex((d) => d.id === s.id) < index).at(-1);
      const at = before ? blocks[blockAt(joined, Math.max(before.end - 1, 0))]?.position : blocks[0]?.position;
      return {
        ruleId: 'section-missing',
        severity: 'warning' as const,
        message: `未找到第${def.numeral}部分“${def.title}”`,
        line: at?.line ?? 1,
        column: at?.column ?? 1,
      };
    });
}

/**
 * Reads the report. `stated` is the metadata the form states outright; the
 * title's agency and year, and the overview's naming of the body, are used
 * only where the file's path does not give them. `joined` is the blocks'
 * joined text, when the caller has it already.
 */
export function readBlocks(file: string, blocks: readonly ReportBlock[], stated: PartialMeta, joined: JoinedBlocks = joinBlocks(blocks)): Reading {
  const texts: string[] = [];
  const grids: Grid[] = [];
  for (const block of blocks) {
    if (block.kind === 'text') texts.push(block.text);
    else grids.push(block.grid);
  }
  const body = texts.join('\n');
  const spans = findSections(joined.text);
  const messages: Message[] = [];

  const fromPath = pathMeta(file);
  const fromTitle = stated.title ? titleParts(stated.title) : {};
  const guessed: PartialMeta = {};
  if (!fromPath.year && fromTitle.year) guessed.year = fromTitle.year;
  if (!fromPath.agency && !stated.agency) {
    const overview = spans.find((s) => s.id === 'overview');
    const named = (fromTitle.agency && qualifiedAgency(body, fromTitle.agency)) ?? (overview ? agencyFromOverview(joined.text.slice(overview.bodyStart, overview.end)) : undefined);
    if (named) guessed.agency = named;
    if (named && !fromTitle.agency) {
      const at = overview ? blocks[blockAt(joined, overview.bodyStart)]?.position : null;
      messages.push({
        ruleId: 'meta-inferred',
        severity: 'warning',
        message: `发布机构“${named}”系从正文推断，建议在元数据中写明`,
        line: at?.line ?? 1,
        column: at?.column ?? 1,
      });
    }
  }

  // The page's words, not its markup, say which template the tables follow.
  const allText = [body, ...grids.flatMap((g) => g.cells.map((c) => c.text))].join('\n');
  const year = fromPath.year ?? guessed.year ?? proseMeta(body).year ?? null;
  const template = detectTemplate(allText, year);
  const layout = template === '2021' || template === '2019' ? layouts[template] : null;
  const tables = layout ? readGrids(grids, layout, messages) : { active: null, requests: null, review: null };

  const sections: Section[] = spans.map((span) => ({
    id: span.id,
    title: span.title,
    text: proseToMarkdown(withoutTableLines(joined.text.slice(span.bodyStart, span.end))),
    position: blocks[blockAt(joined, span.headingStart)]?.position ?? null,
  }));
  return {
    stated: { ...stated, ...guessed },
    body,
    sections,
    tables,
    messages: [...missingSections(spans, joined, blocks), ...messages],
    template,
  };
}
