/** Reading one printed cell: a number, a stated absence, or unread. */
import type { CellKind } from './layout.js';
import { absentCell, numberCell, type Cell, type Position } from './model.js';

/** From a full-width digit, sign or point to its ASCII form. */
export const FULLWIDTH_DIGIT_OFFSET = 0xff10 - 0x30;

/** Full-width digits, signs and points to ASCII; nothing else changes. */
export function toHalfWidthDigits(text: string): string {
  // Most text has none: a scan is cheaper than a replacement pass.
  if (!hasFullWidthDigit(text)) return text;
  return text.replace(/[０-９＋－．]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - FULLWIDTH_DIGIT_OFFSET));
}

const FULL_WIDTH_NUMERALS = [...'０１２３４５６７８９＋－．'];
/** Beyond this length a native search per character beats one pass of code units in script. */
const NATIVE_SCAN_FROM = 256;

function hasFullWidthDigit(text: string): boolean {
  if (text.length >= NATIVE_SCAN_FROM) return FULL_WIDTH_NUMERALS.some((ch) => text.includes(ch));
  for (let i = 0; i < text.length; i++) if (isFullWidthDigitCode(text.charCodeAt(i))) return true;
  return false;
}

/** ０-９, ＋, －, ． */
export function isFullWidthDigitCode(code: number): boolean {
  return (code >= 0xff10 && code <= 0xff19) || code === 0xff0b || code === 0xff0d || code === 0xff0e;
}

/** An ASCII digit, 0-9. */
export function isAsciiDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** A half- or full-width digit (0-9, ０-９). */
export function isDigitCode(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0xff10 && code <= 0xff19);
}

/**
 * The value of text made of one or more ASCII digits and nothing else, -1 for any other text. Worked out digit by
 * digit: Number(text) hashes the string first, to look for a cached array index. Past 2^53 the sum is inexact, and
 * so is Number(text); both are then no safe integer.
 */
function plainDigitsValue(text: string): number {
  if (text.length === 0) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** A dash a value cell may be printed as, alone or repeated: —, –, -, －, ─. */
function isValueDash(code: number): boolean {
  return code === 0x2d || code === 0xff0d || code === 0x2014 || code === 0x2013 || code === 0x2500;
}

/**
 * Whether text[start, end) (not empty, no surrounding space) is a cell value as tables print it, tested in place
 * without slicing: /^(?:[+\-－]?[\d０-９]+(?:[.．][\d０-９]+)?|[/／]|[—–\-－─]+|无)$/ — a number, a slash, a run of
 * dashes, 无.
 */
export function isValueWordAt(text: string, start: number, end: number): boolean {
  const code = text.charCodeAt(start);
  if (end - start === 1 && (code === 0x2f || code === 0xff0f || code === 0x65e0)) return true;
  if (isValueDash(code)) {
    let at = start + 1;
    while (at < end && isValueDash(text.charCodeAt(at))) at++;
    if (at === end) return true;
  }
  let at = code === 0x2b || code === 0x2d || code === 0xff0d ? start + 1 : start;
  const digits = at;
  while (at < end && isDigitCode(text.charCodeAt(at))) at++;
  if (at === digits) return false;
  if (at === end) return true;
  const point = text.charCodeAt(at);
  if (point !== 0x2e && point !== 0xff0e) return false;
  const fraction = ++at;
  while (at < end && isDigitCode(text.charCodeAt(at))) at++;
  return at > fraction && at === end;
}

/** The first offset of text[from, to) that is not whitespace (`to` when none is): a trim's start, without slicing. */
export function skipSpaces(text: string, from: number, to: number): number {
  while (from < to && isSpaceCode(text.charCodeAt(from))) from++;
  return from;
}

/** The end of text[from, to) with its trailing whitespace left off (`from` when all of it is): a trim's end, without slicing. */
export function trimmedEnd(text: string, from: number, to: number): number {
  while (to > from && isSpaceCode(text.charCodeAt(to - 1))) to--;
  return to;
}

/** Whether a UTF-16 code unit is whitespace as `\s` in a regular expression counts it, without running one. */
export function isSpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const SPACE = /[\s\u00a0\u3000\u200b\ufeff]+/g;

const patterns: Record<CellKind, RegExp> = {
  count: /^\d+$/,
  signedCount: /^[+-]?\d+$/,
  decimal: /^\d+(?:\.\d+)?$/,
};

/**
 * Reads a cell's printed text. Blank, "/", dashes and "无" are kept apart from
 * 0; anything that is not a well-formed number of the cell's kind is unread.
 */
export function readCell(raw: string, kind: CellKind, position: Position | null): Cell {
  // The common cell, plain digits, is a number of every kind; the general reading below gives the same.
  const plain = plainDigitsValue(raw);
  if (plain !== -1 && Number.isSafeInteger(plain)) return numberCell(plain, raw, position);
  const text = toHalfWidthDigits(raw.replace(SPACE, ''));
  if (text === '') return absentCell('blank', raw, position);
  if (/^[/／\\]$/.test(text)) return absentCell('slash', raw, position);
  if (/^[—–\-－─━]+$/.test(text)) return absentCell('dash', raw, position);
  if (text === '无') return absentCell('none', raw, position);
  if (patterns[kind].test(text)) {
    const value = Number(text);
    if (Number.isSafeInteger(value) || (kind === 'decimal' && Number.isFinite(value))) {
      return numberCell(value, text, position);
    }
  }
  return absentCell('unread', raw, position);
}
