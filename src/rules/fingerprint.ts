/**
 * Findings' fingerprints: stable across runs and unrelated edits (rule, body
 * and year, cells; no line numbers). A module of its own so that a check
 * served from its kept result loads this, not every rule.
 */
import type { Message, Report } from '../template/model.js';
import { layouts } from '../template/layout.js';
import { bodyKey, reportYear } from './bodies.js';
import { cellSlots } from './cells.js';

/** A message's fingerprint, by its report's identity or, for a file read as no report, by the file. */
export function fingerprint(report: Report | undefined, file: string, message: Message): string {
  return fingerprintOf(report ? identityOf(report) : file, message);
}

/** A report's identity in fingerprints: its body and year. */
export function identityOf(report: Report): string {
  return `${bodyKey(report)}@${reportYear(report) ?? ''}`;
}

/** The fingerprint of a message of the report or file with that identity. */
export function fingerprintOf(identity: string, message: Message): string {
  const hash = new Fingerprint().add(message.ruleId).add('\u0000').add(identity).add('\u0000');
  const cells = message.cells;
  if (!cells || cells.length === 0) return hash.add(message.message).hex();
  // The cells sorted and joined by commas, hashed piece by piece: no joined string is made.
  if (cells.length >= COUNTED_FROM && addCountedRefs(hash, cells)) return hash.hex();
  const places = cells.length < COUNTED_FROM ? sortedPlaces(cells) : null;
  if (places) {
    for (let i = 0; i < places.length; i++) {
      if (i > 0) hash.addCode(COMMA);
      hash.addRef(places[i] as number);
    }
    return hash.hex();
  }
  const sorted = isSorted(cells) ? cells : [...cells].sort();
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0) hash.addCode(COMMA);
    hash.add(sorted[i] as string);
  }
  return hash.hex();
}

const COMMA = 0x2c;

/** In the order Array.prototype.sort gives strings by default (UTF-16 code units). */
function isSorted(texts: readonly string[]): boolean {
  for (let i = 1; i < texts.length; i++) if ((texts[i - 1] as string) > (texts[i] as string)) return false;
  return true;
}

/** Every cell reference of the templates, sorted, and each one's place in that order. */
const sortedRefs = [...new Set(Object.values(layouts).flatMap((layout) => cellSlots(layout).map((slot) => slot.ref)))].sort();
const refPlaces = new Map(sortedRefs.map((ref, place) => [ref, place]));
/** The code units of those references one after another, and where each starts: a finding may name over a hundred cells, hashed from here. */
const refStarts = new Int32Array(sortedRefs.length + 1);
sortedRefs.forEach((ref, place) => (refStarts[place + 1] = (refStarts[place] as number) + ref.length));
const refCodes = new Uint16Array(refStarts[sortedRefs.length] as number);
sortedRefs.forEach((ref, place) => {
  for (let i = 0; i < ref.length; i++) refCodes[(refStarts[place] as number) + i] = ref.charCodeAt(i);
});

/**
 * The places of the cells in default sort order, or null when one is no
 * template cell: ordering places was much cheaper than comparing the references as strings.
 */
function sortedPlaces(cells: readonly string[]): Int32Array | null {
  const places = new Int32Array(cells.length);
  let inOrder = true;
  for (let i = 0; i < cells.length; i++) {
    const place = refPlaces.get(cells[i] as string);
    if (place === undefined) return null;
    places[i] = place;
    if (i > 0 && (places[i - 1] as number) > place) inOrder = false;
  }
  return inOrder ? places : places.sort();
}

/**
 * From this many cells on, a finding's references are put in order by
 * counting each place and reading the counts in order (a warning may name
 * over a hundred cells): sorting them cost more.
 */
const COUNTED_FROM = 32;
/** How often the finding being hashed names each place: kept between calls, every count back to 0 after each. */
const placeCounts = new Uint16Array(sortedRefs.length);

/**
 * The cells' references in default sort order, joined by commas, into the
 * hash; false, with nothing added, when one is no template cell.
 */
function addCountedRefs(hash: Fingerprint, cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    const place = refPlaces.get(cells[i] as string);
    if (place === undefined) {
      for (let k = 0; k < i; k++) placeCounts[refPlaces.get(cells[k] as string) as number] = 0;
      return false;
    }
    placeCounts[place] = (placeCounts[place] as number) + 1;
  }
  let first = true;
  for (let place = 0; place < placeCounts.length; place++) {
    for (let count = placeCounts[place] as number; count > 0; count--) {
      if (!first) hash.addCode(COMMA);
      hash.addRef(place);
      first = false;
    }
    placeCounts[place] = 0;
  }
  return true;
}

/** Each byte's two hex digits: number-to-string conversion was most of a fingerprint's cost. */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Two independent 32-bit FNV-1a hashes fed text piece by piece: 16 hex digits, cheap enough to run per finding. */
class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  add(text: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  addCode(code: number): this {
    this.a = Math.imul(this.a ^ code, 0x01000193);
    this.b = Math.imul(this.b ^ code, 0x5bd1e995) ^ (this.b >>> 15);
    return this;
  }

  /** A template cell reference by its place in sortedRefs, read from refCodes (faster than reading the string). */
  addRef(place: number): this {
    let a = this.a;
    let b = this.b;
    const end = refStarts[place + 1] as number;
    for (let i = refStarts[place] as number; i < end; i++) {
      const c = refCodes[i] as number;
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  hex(): string {
    const { a, b } = this;
    return (
      HEX_BYTES[a >>> 24]! + HEX_BYTES[(a >>> 16) & 0xff]! + HEX_BYTES[(a >>> 8) & 0xff]! + HEX_BYTES[a & 0xff]! +
      HEX_BYTES[b >>> 24]! + HEX_BYTES[(b >>> 16) & 0xff]! + HEX_BYTES[(b >>> 8) & 0xff]! + HEX_BYTES[b & 0xff]!
    );
  }
}
