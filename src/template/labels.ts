/**
 * Label normalisation and matching. Real labels differ from the template in
 * bracket width, spacing, line breaks, quotes, item-number punctuation and
 * the odd lost character; they are compared in a normal form.
 */
import { unitsToString } from '../read/decode.js';
import { FULLWIDTH_DIGIT_OFFSET, isAsciiDigitCode, isFullWidthDigitCode, isSpaceCode } from './cell-text.js';
import type { LabelDef } from './layout.js';

/**
 * Each UTF-16 code unit's form in a label, -1 where it is dropped: whitespace
 * and quotes (" ' “ ” ‘ ’ 「 」) go; half-width brackets and stops ( ) : , ;
 * become full-width; full-width digits, signs and points (０-９＋－．) become ASCII.
 */
const FORM = Int32Array.from({ length: 0x10000 }, (_, code) => code);
for (let code = 0; code < 0x10000; code++) {
  if (isSpaceCode(code)) FORM[code] = -1;
  else if (isFullWidthDigitCode(code)) FORM[code] = code - FULLWIDTH_DIGIT_OFFSET;
}
for (const ch of '"\'“”‘’「」') FORM[ch.charCodeAt(0)] = -1;
for (const [from, to] of [['(', '（'], [')', '）'], [':', '：'], [',', '，'], [';', '；']] as const) FORM[from.charCodeAt(0)] = to.charCodeAt(0);
/** What may follow a leading item number once stops are mapped (1、 1. 1，): it reads as "1." */
const ITEM_POINTS = new Set([0x3001, 0x2e, 0xff0c]);

/** Reused for labels and lines up to its size; longer text gets its own. */
let units = new Uint16Array(4096);

/**
 * normaliseLabel's form without remembering it: for long text read once (a
 * whole line), which the memo would only fill. One pass over the code units
 * rather than three replacements (whitespace and quotes dropped; brackets and
 * stops widened; full-width digits, signs and points made ASCII; a leading
 * item number's point made ".").
 */
export function normalForm(text: string): string {
  const out = units.length >= text.length ? units : (units = new Uint16Array(text.length * 2));
  let length = 0;
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const form = FORM[code] as number;
    if (form !== code) {
      changed = true;
      if (form === -1) continue;
    }
    out[length++] = form;
  }
  // A leading item number of one or two digits: its point reads as ".".
  if (length > 1 && isAsciiDigitCode(out[0] as number)) {
    const point = isAsciiDigitCode(out[1] as number) ? 2 : 1;
    if (point < length && out[point] !== 0x2e && ITEM_POINTS.has(out[point] as number)) {
      out[point] = 0x2e;
      changed = true;
    }
  }
  return changed ? unitsToString(out, length) : text;
}

const memo = new Map<string, string>();

/** The comparable form of a label: no spaces, no quotes, one kind of bracket and item point. */
export function normaliseLabel(text: string): string {
  const known = memo.get(text);
  if (known !== undefined) return known;
  const form = normalForm(text);
  // Labels repeat across reports; arbitrary text (damaged input) must not grow the memo without bound.
  if (memo.size > 20_000) memo.clear();
  memo.set(text, form);
  return form;
}

const formsCache = new WeakMap<object, string[]>();

/** All normalised forms under which a definition's label may appear. */
export function labelForms(def: { label: string; variants?: readonly string[] }): string[] {
  let forms = formsCache.get(def);
  if (!forms) {
    forms = [def.label, ...(def.variants ?? [])].map(normaliseLabel);
    formsCache.set(def, forms);
  }
  return forms;
}

/** Each normal form to the first definition (in list order) that has it, per list of definitions (lists are fixed once made). */
const formIndexes = new WeakMap<readonly LabelDef[], Map<string, LabelDef>>();

function formIndex<T extends LabelDef>(defs: readonly T[]): Map<string, T> {
  let index = formIndexes.get(defs) as Map<string, T> | undefined;
  if (!index) {
    index = new Map();
    for (const def of defs) for (const form of labelForms(def)) if (!index.has(form)) index.set(form, def);
    formIndexes.set(defs, index);
  }
  return index;
}

/** Finds the definition whose label (or a variant) equals the text, in normal form. */
export function matchLabel<T extends LabelDef>(defs: readonly T[], text: string): T | undefined {
  return formIndex(defs).get(normaliseLabel(text));
}

const groupPrefixes = [
  '三、本年度办理结果',
  '（三）不予公开',
  '（四）无法提供',
  '（五）不予处理',
  '（六）其他处理',
].map(normaliseLabel);

/**
 * The normal forms under which a table-三 row label is compared: the label,
 * then the label with each group heading in front of it taken off in turn
 * (（三）不予公开 1.属于国家秘密 → 1.属于国家秘密).
 */
export function rowLabelStages(text: string): string[] {
  const stages: string[] = [];
  let rest = normaliseLabel(text);
  for (;;) {
    stages.push(rest);
    const prefix = groupPrefixes.find((p) => rest.startsWith(p) && rest.length > p.length);
    if (!prefix) return stages;
    rest = normaliseLabel(rest.slice(prefix.length));
  }
}

/**
 * Matches a table-三 row label that may carry its group headings in front
 * (（三）不予公开 1.属于国家秘密) or stand alone (1.属于国家秘密).
 */
export function matchRowLabel<T extends LabelDef>(rows: readonly T[], text: string): T | undefined {
  const index = formIndex(rows);
  for (const rest of rowLabelStages(text)) {
    const found = index.get(rest);
    if (found) return found;
  }
  return undefined;
}
