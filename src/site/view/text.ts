/**
 * Text from a report on its way to a page: characters that could reorder or
 * hide what is displayed (bidi overrides, controls) are made visible, so a
 * hostile name can neither disguise itself nor break the HTML.
 */

// C0/C1 controls (except tab and newline), bidi embeddings/overrides/isolates, BOM, noncharacters.
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/g;

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A field shown as text: hidden characters appear as their code point. */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, (ch) => `[${codePoint(ch)}]`).replace(/[\ud800-\udfff]/g, (ch, i: number, all: string) => {
    // Lone surrogates cannot be encoded as UTF-8; paired ones are left alone.
    const code = ch.charCodeAt(0);
    const paired =
      code < 0xdc00 ? /[\udc00-\udfff]/.test(all[i + 1] ?? '') : /[\ud800-\udbff]/.test(all[i - 1] ?? '');
    return paired ? ch : '\ufffd';
  });
}

/** Prose before Markdown: the same cleaning, newlines kept. */
export const visibleProse = visibleText;

/** Short texts seen before (row labels, figures and names recur on thousands of pages), with their one-line versions. */
const oneLineSeen = new Map<string, string>();

/** A one-line version of a text (for titles and table cells). */
export function oneLine(text: string): string {
  const seen = oneLineSeen.get(text);
  if (seen !== undefined) return seen;
  const line = visibleText(text).replace(/\s+/g, ' ').trim();
  if (text.length <= 100) {
    if (oneLineSeen.size >= 100_000) oneLineSeen.clear();
    oneLineSeen.set(text, line);
  }
  return line;
}
