/**
 * Label normalisation and matching. Real labels differ from the template in
 * bracket width, spacing, line breaks, quotes, item-number punctuation and
 * the odd lost character; they are compared in a normal form.
 */
import type { LabelDef } from './layout.js';

const charMap: Record<string, string> = { '(': '（', ')': '）', ':': '：', ',': '，', ';': '；' };
const DROPPED = /[\s\u00a0\u3000“”"'‘’「」]+/g;
const MAPPED = /[(),:;０-９＋－．]/g;

function mappedChar(ch: string): string {
  return charMap[ch] ?? String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
}

/** normaliseLabel's form without remembering it: for long text read once (a whole line), which the memo would only fill. */
export function normalForm(text: string): string {
  // Spaces and quotes go in runs without a callback; the characters mapped one by one are rare.
  return text.replace(DROPPED, '').replace(MAPPED, mappedChar).replace(/^(\d{1,2})[、.．,，]/, '$1.');
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
