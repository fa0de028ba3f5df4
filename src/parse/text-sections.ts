/** Sections of a text-form report from the heading spans found in it. */
import { skipSpaces, trimmedEnd } from '../template/cell-text.js';
import { sections as sectionDefs } from '../template/layout.js';
import type { Message, Section } from '../template/model.js';
import type { Source } from '../read/source.js';
import type { SectionSpan } from './sections.js';

const PAGE_NUMBER = /^-\s*\d+\s*-$/;

/** A page number line (- 3 -), trimmed; only a line opening with a dash needs the pattern. */
export function isPageNumber(line: string): boolean {
  return line.charCodeAt(0) === 0x2d && PAGE_NUMBER.test(line);
}

/** Adds text[start, end), one line, to a paragraph list: trimmed as trim() would (its whitespace is \s), unless blank or a page number. */
export function keepProseLine(kept: string[], text: string, start: number, end: number): void {
  // The bounds are found before slicing so that blank lines make no string.
  const first = skipSpaces(text, start, end);
  const last = trimmedEnd(text, first, end);
  if (first === last) return;
  const line = text.slice(first, last);
  // Stored by index: a push onto an array passed in is not inlined.
  if (!isPageNumber(line)) kept[kept.length] = line;
}

/** Collapses layout line breaks inside paragraphs of text[from, to); keeps paragraph breaks as blank lines. */
export function proseToMarkdown(text: string, from = 0, to = text.length): string {
  const kept: string[] = [];
  for (let start = from; start <= to; ) {
    const lineEnd = text.indexOf('\n', start);
    const end = lineEnd === -1 || lineEnd > to ? to : lineEnd;
    keepProseLine(kept, text, start, end);
    start = end + 1;
  }
  return kept.join('\n\n');
}

/** Turns spans into sections whose text, in Markdown already, `markdown` gives. */
export function sectionsWithMarkdown(source: Source, spans: SectionSpan[], markdown: (span: SectionSpan) => string): Section[] {
  return spans.map((span) => ({
    id: span.id,
    title: span.title,
    text: markdown(span),
    position: source.position(span.headingStart),
  }));
}

/** One warning per section the text does not have, placed where it was expected. */
export function missingSectionMessages(source: Source, spans: SectionSpan[], from = 0): Message[] {
  const messages: Message[] = [];
  sectionDefs.forEach((def, index) => {
    if (spans.some((s) => s.id === def.id)) return;
    const before = [...spans].reverse().find((s) => sectionDefs.findIndex((d) => d.id === s.id) < index);
    const at = source.position(before ? before.end : from);
    messages.push({
      ruleId: 'section-missing',
      severity: 'warning',
      message: `未找到第${def.numeral}部分“${def.title}”`,
      line: at.line,
      column: at.column,
    });
  });
  return messages;
}
