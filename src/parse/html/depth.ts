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

/** What a tag's name means for the count, as bits. */
const NESTS = 1;
const TABLE = 2;
const TABLE_PART = 4;
const FOREIGN_ROOT = 8;

/** Elements that never take children. */
const VOID = ['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr'];
/**
 * Elements whose end tag may be left out: a run of them does not nest, so
 * they are not counted. (<rt>, <rp> and <optgroup> are not among them: outside
 * <ruby> and <select> a run of them nests.)
 */
const OPTIONAL_END = ['p', 'li', 'dt', 'dd', 'td', 'th', 'tr', 'tbody', 'thead', 'tfoot', 'colgroup', 'option'];
const TABLE_PARTS = ['caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th'];

const isLetter = (code: number) => (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
const isNameCharacter = (code: number) => isLetter(code) || (code >= 48 && code <= 57) || code === 45;

/** The names above are letters only and at most this long; any other name nests and means nothing more. */
const LONGEST_NAME = 8;
/** A name's letters as a number, case folded (base 27, exact up to LONGEST_NAME letters): a page of millions of tags slices and folds none. */
const letterCode = (code: number) => (code | 32) - 96;
const nameCode = (name: string) => [...name].reduce((value, letter) => value * 27 + letterCode(letter.charCodeAt(0)), 0);
const MEANING = new Map<number, number>();
for (const name of ['table', 'svg', 'math', ...VOID, ...OPTIONAL_END, ...TABLE_PARTS]) {
  let bits = VOID.includes(name) || OPTIONAL_END.includes(name) ? 0 : NESTS;
  if (name === 'table') bits |= TABLE;
  if (TABLE_PARTS.includes(name)) bits |= TABLE_PART;
  if (name === 'svg' || name === 'math') bits |= FOREIGN_ROOT;
  MEANING.set(nameCode(name), bits);
}

export interface Capped {
  html: string;
  /** Offset of the first tag blanked out, or null when the page nests within the cap. */
  cutAt: number | null;
}

// Most tags hold no newline: a run of spaces of their length, without a regex replace.
const blank = (tag: string) => (tag.includes('\n') ? tag.replace(/[^\n]/g, ' ') : ' '.repeat(tag.length));

/** How far a character is looked for one by one before indexOf takes over: most of a page's tags and texts are short, and an indexOf call costs as much as looking at a few dozen characters. */
const NEAR = 32;

/** The index of the first `character` (of code `code`) at or after `from`, or -1. */
function nextIndexOf(html: string, character: string, code: number, from: number): number {
  const near = Math.min(from + NEAR, html.length);
  for (let index = from; index < near; index++) if (html.charCodeAt(index) === code) return index;
  return near === html.length ? -1 : html.indexOf(character, near);
}

export function capNesting(html: string): Capped {
  let depth = 0;
  let tables = 0;
  /** Open SVG and MathML elements: only inside them does `/>` close an element. */
  let foreign = 0;
  let cutAt: number | null = null;
  const parts: string[] = [];
  let copied = 0;
  /** Where the run of tags being blanked starts (it ends at `copied`), or -1 before the first. */
  let blankFrom = -1;
  // The tags are found by hand, as the pattern /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/g
  // would find them (comments skipped), so that a page of millions of tags does not make a match array each.
  for (let start = html.indexOf('<'); start !== -1; ) {
    if (html.charCodeAt(start + 1) === 33 && html.startsWith('<!--', start)) {
      const commentEnd = html.indexOf('-->', start + 4);
      if (commentEnd !== -1) {
        start = nextIndexOf(html, '<', 60, commentEnd + 3);
        continue;
      }
    }
    const closing = html.charCodeAt(start + 1) === 47;
    const nameStart = closing ? start + 2 : start + 1;
    const last = isLetter(html.charCodeAt(nameStart)) ? nextIndexOf(html, '>', 62, nameStart) : -1;
    if (last === -1) {
      start = nextIndexOf(html, '<', 60, start + 1);
      continue;
    }
    const end = last + 1;
    let code = letterCode(html.charCodeAt(nameStart));
    let lettersOnly = true;
    let nameEnd = nameStart + 1;
    for (let character = html.charCodeAt(nameEnd); isNameCharacter(character); character = html.charCodeAt(++nameEnd)) {
      if (isLetter(character)) code = code * 27 + letterCode(character);
      else lettersOnly = false;
    }
    const meaning = lettersOnly && nameEnd - nameStart <= LONGEST_NAME ? (MEANING.get(code) ?? NESTS) : NESTS;
    const tagStart = start;
    start = nextIndexOf(html, '<', 60, end);
    let beyond = false;
    // A table beyond the cap loses all its table tags, so its rows do not break the enclosing table.
    if (meaning & TABLE) {
      beyond = closing ? tables > MAX_TABLE_NESTING : tables >= MAX_TABLE_NESTING;
      tables = closing ? Math.max(0, tables - 1) : tables + 1;
    } else if (meaning & TABLE_PART) {
      beyond = tables > MAX_TABLE_NESTING;
    }
    const foreignRoot = (meaning & FOREIGN_ROOT) !== 0;
    // HTML ignores the slash of <div/>: a run of them nests.
    const closesItself = html.charCodeAt(end - 2) === 47 && (foreign > 0 || foreignRoot);
    if (meaning & NESTS && !closesItself) {
      beyond ||= closing ? depth > MAX_NESTING : depth >= MAX_NESTING;
      depth = closing ? Math.max(0, depth - 1) : depth + 1;
    }
    // A foreign element blanked out is not one for the parser either.
    if (foreignRoot && !closesItself && !beyond) foreign = closing ? Math.max(0, foreign - 1) : foreign + 1;
    if (!beyond) continue;
    cutAt ??= tagStart;
    // Tags blanked back to back (<table><tr><td>) are blanked as one run: fewer pieces to join.
    if (blankFrom === -1 || tagStart !== copied) {
      if (blankFrom !== -1) parts.push(blank(html.slice(blankFrom, copied)));
      parts.push(html.slice(copied, tagStart));
      blankFrom = tagStart;
    }
    copied = end;
  }
  if (cutAt === null) return { html, cutAt };
  if (blankFrom !== -1) parts.push(blank(html.slice(blankFrom, copied)));
  parts.push(html.slice(copied));
  return { html: parts.join(''), cutAt };
}
