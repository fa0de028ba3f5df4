/**
 * Caps how deeply HTML elements nest before the page is parsed. The HTML
 * parser itself copes with any depth, but turning its tree into hast and
 * walking it are recursive and overflow the stack at a few thousand levels
 * (a hostile or broken page), and every table's text is taken from all of
 * its descendants, so tables nested in tables cost the square of their
 * depth. Tags deeper than the caps are blanked out with
 * spaces of the same length, so their text is still read and every offset,
 * line and column stays where it was.
 */

export const MAX_NESTING = 400;
/** Layout tables nest a few levels deep at most; a report table is never deeper than this. */
export const MAX_TABLE_NESTING = 12;

/** Elements that never take children. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/**
 * Elements whose end tag may be left out: a run of them does not nest, so
 * they are not counted. (<rt>, <rp> and <optgroup> are not among them: outside
 * <ruby> and <select> a run of them nests.)
 */
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'td', 'th', 'tr', 'tbody', 'thead', 'tfoot', 'colgroup', 'option']);
const TABLE_PARTS = new Set(['table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th']);

const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/g;

export interface Capped {
  html: string;
  /** Offset of the first tag blanked out, or null when the page nests within the cap. */
  cutAt: number | null;
}

// Most tags hold no newline: a run of spaces of their length, without a regex replace.
const blank = (tag: string) => (tag.includes('\n') ? tag.replace(/[^\n]/g, ' ') : ' '.repeat(tag.length));

export function capNesting(html: string): Capped {
  let depth = 0;
  let tables = 0;
  /** Open SVG and MathML elements: only inside them does `/>` close an element. */
  let foreign = 0;
  let cutAt: number | null = null;
  const parts: string[] = [];
  let copied = 0;
  for (const match of html.matchAll(TAG)) {
    const name = match[2]?.toLowerCase();
    if (name === undefined) continue;
    const closing = match[1] === '/';
    let beyond = false;
    // A table beyond the cap loses all its table tags, so its rows do not break the enclosing table.
    if (name === 'table') {
      beyond = closing ? tables > MAX_TABLE_NESTING : tables >= MAX_TABLE_NESTING;
      tables = closing ? Math.max(0, tables - 1) : tables + 1;
    } else if (TABLE_PARTS.has(name)) {
      beyond = tables > MAX_TABLE_NESTING;
    }
    const foreignRoot = name === 'svg' || name === 'math';
    // HTML ignores the slash of <div/>: a run of them nests.
    const closesItself = match[0].endsWith('/>') && (foreign > 0 || foreignRoot);
    if (!VOID.has(name) && !OPTIONAL_END.has(name) && !closesItself) {
      beyond ||= closing ? depth > MAX_NESTING : depth >= MAX_NESTING;
      depth = closing ? Math.max(0, depth - 1) : depth + 1;
    }
    // A foreign element blanked out is not one for the parser either.
    if (foreignRoot && !closesItself && !beyond) foreign = closing ? Math.max(0, foreign - 1) : foreign + 1;
    if (!beyond) continue;
    const at = match.index ?? 0;
    cutAt ??= at;
    parts.push(html.slice(copied, at), blank(match[0]));
    copied = at + match[0].length;
  }
  if (cutAt === null) return { html, cutAt };
  parts.push(html.slice(copied));
  return { html: parts.join(''), cutAt };
}
