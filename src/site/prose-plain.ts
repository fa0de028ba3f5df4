/**
 * Prose to HTML without unified: most reports' prose is paragraphs only,
 * written directly (see plainParagraphs); any other goes through the
 * Markdown renderer of prose.ts, which registers itself when loaded. Report
 * pages are made from this module, so that a render worker loads unified
 * (a quarter of a second) only for a body whose prose needs it
 * (needsMarkdown).
 */
import { NotLoadedYet } from './on-demand.js';
import { visibleProse } from './view/text.js';

type MarkdownRenderer = (text: string, prefix: string, label: string) => string;

let markdown: MarkdownRenderer | null = null;

/** Set by prose.ts as it loads. */
export function useMarkdown(render: MarkdownRenderer): void {
  markdown = render;
}

/**
 * Renders one block of prose. `prefix` keeps ids (footnotes, table captions)
 * unique on a page that holds several blocks; `label` names the block in captions.
 */
export function proseToHtml(text: string, prefix: string, label: string): string {
  const visible = visibleProse(text);
  const plain = plainParagraphs(visible);
  if (plain !== null) return plain;
  // A page made without prose.ts loaded would otherwise lose this block: fail the page instead.
  if (!markdown) throw new NotLoadedYet('prose needing Markdown rendered before prose.js was loaded');
  return markdown(visible, prefix, label);
}

/** Whether rendering this prose (or any text joined from such blocks) needs the Markdown renderer. */
export function needsMarkdown(text: string): boolean {
  return plainParagraphs(visibleProse(text)) === null;
}

/**
 * Characters and line shapes that can start Markdown syntax (or need
 * escaping): prose free of them is nothing but paragraphs. Most reports'
 * prose is, and unified costs milliseconds a block, so it is written
 * directly; the result is the same HTML (tests/site-prose-fast.test.ts).
 */
const MARKDOWN_SIGNS = /[\\`*_[\]<>!#|~&"'\t\r\u0000-\u0008\u000b-\u001f]|https?:|www\.|@/i;
const SPECIAL_LINE = /^(?: |[-+=]|\d{1,9}[.)])| $/m;

/** The HTML of prose made of paragraphs only, or null when it may hold any other Markdown. */
export function plainParagraphs(text: string): string | null {
  if (MARKDOWN_SIGNS.test(text) || SPECIAL_LINE.test(text)) return null;
  const paragraphs: string[] = [];
  let lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') {
      if (lines.length > 0) paragraphs.push(`<p>${lines.join('\n')}</p>`);
      lines = [];
    } else lines.push(line);
  }
  if (lines.length > 0) paragraphs.push(`<p>${lines.join('\n')}</p>`);
  return paragraphs.join('\n');
}
