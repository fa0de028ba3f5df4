/**
 * A file of rows, each made from exactly what its key names (the key
 * figures' download: a report's lines, keyed by its figures, body, year and
 * file). Written with its layout (each row's key and length in bytes), so
 * that the next build, given the bytes it wrote, copies the rows whose keys
 * it had and makes only the others: after one report changed, one row of
 * ten thousand (10,000 reports: ~95 ms to make them all).
 */

export interface KeyedRows {
  /** What comes before the first row and after the last. */
  head: string;
  tail: string;
  /** Each row's key: two rows of the same key are the same text. */
  keys: readonly string[];
  /** The text of row `index`. */
  row(index: number): string;
}

/** Where a file of keyed rows put its rows: the bytes of its head, then each row's key and bytes, in order. */
export interface RowLayout {
  head: number;
  keys: readonly string[];
  lengths: readonly number[];
}

/** A file of keyed rows as written before: its bytes, and its layout. */
export interface WrittenRows {
  bytes: Uint8Array;
  layout: RowLayout;
}

/**
 * Text written out as UTF-8 as it comes, into a buffer that grows as need
 * be: a long text of many short pieces without ever being one string (as
 * one string, its pieces lived until it was encoded, and the garbage
 * collector copied them over and again).
 */
class Utf8Bytes {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private written = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.written;
  }

  private reserve(more: number): void {
    const needed = this.written + more;
    if (needed <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.written);
    this.bytes = grown;
  }

  write(text: string): void {
    // At most three bytes per UTF-16 code unit.
    this.reserve(text.length * 3);
    this.written += this.bytes.write(text, this.written);
  }

  copy(from: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    this.bytes.set(from.subarray(start, end), this.written);
    this.written += end - start;
  }

  done(): Uint8Array {
    return this.bytes.subarray(0, this.written);
  }
}

/**
 * Where each key's row lies in the previous file (the first of its key),
 * or null when the bytes are not those the layout describes: then no row is
 * taken from them.
 */
function rowsIn(previous: WrittenRows, head: number, tail: number): Map<string, [start: number, end: number]> | null {
  const { layout, bytes } = previous;
  if (layout.head !== head || layout.keys.length !== layout.lengths.length) return null;
  const at = new Map<string, [number, number]>();
  let offset = head;
  for (let i = 0; i < layout.keys.length; i++) {
    const end = offset + (layout.lengths[i] as number);
    if (!at.has(layout.keys[i] as string)) at.set(layout.keys[i] as string, [offset, end]);
    offset = end;
  }
  return offset + tail === bytes.byteLength ? at : null;
}

/**
 * The file's bytes and layout: each row copied from `previous` when it has
 * one of the same key, else made. The bytes are those of a file made
 * afresh, since a row is a function of its key. `reused`: rows copied.
 */
export function writeRows(rows: KeyedRows, previous?: WrittenRows | null): WrittenRows & { reused: number } {
  const bytes = new Utf8Bytes();
  bytes.write(rows.head);
  const head = bytes.length;
  const found = previous ? rowsIn(previous, head, Buffer.byteLength(rows.tail)) : null;
  const lengths: number[] = [];
  let reused = 0;
  // Rows copied from consecutive places are copied in one go.
  let runStart = -1;
  let runEnd = -1;
  const copyRun = () => {
    if (runEnd >= 0) bytes.copy((previous as WrittenRows).bytes, runStart, runEnd);
    runStart = runEnd = -1;
  };
  rows.keys.forEach((key, i) => {
    const place = found?.get(key);
    if (place) {
      reused++;
      if (place[0] !== runEnd) {
        copyRun();
        runStart = place[0];
      }
      runEnd = place[1];
      lengths.push(place[1] - place[0]);
      return;
    }
    copyRun();
    const before = bytes.length;
    bytes.write(rows.row(i));
    lengths.push(bytes.length - before);
  });
  copyRun();
  bytes.write(rows.tail);
  return { bytes: bytes.done(), layout: { head, keys: rows.keys, lengths }, reused };
}
