/**
 * The source's lines (split at \n) with their trimmed bounds, found once per
 * read: the adapter's walks — the page's measure, the prose, the tables'
 * lines, the page footers — read these bounds instead of each searching for
 * line breaks and trimming every line again.
 */
import type { Source } from '../../read/source.js';
import { skipSpaces, trimmedEnd } from '../../template/cell-text.js';

export interface TrimmedLines {
  text: string;
  count: number;
  /** Offset of each line's first character. */
  starts: Int32Array;
  /** Offset of each line's end: its \n, or the text's end. */
  ends: Int32Array;
  /** Each line trimmed as trim() would: its first non-space offset, and the end of its last non-space character. */
  firsts: Int32Array;
  lasts: Int32Array;
}

/** Lines of a report's length: their bounds are kept from one read to the next (a read is synchronous and keeps none of them). */
const REUSED_LINES = 4096;
const reused = {
  starts: new Int32Array(REUSED_LINES),
  ends: new Int32Array(REUSED_LINES),
  firsts: new Int32Array(REUSED_LINES),
  lasts: new Int32Array(REUSED_LINES),
};

/** The source's lines and their trimmed bounds; valid until the next call. */
export function trimmedLines(source: Source): TrimmedLines {
  const text = source.text;
  const count = source.lineCount;
  // A longer text gets bounds of its own, let go after its read rather than held by the module.
  const { starts, ends, firsts, lasts } =
    count <= REUSED_LINES
      ? reused
      : { starts: new Int32Array(count), ends: new Int32Array(count), firsts: new Int32Array(count), lasts: new Int32Array(count) };
  for (let line = 0; line < count; line++) {
    const start = source.lineStart(line + 1);
    const end = line + 1 < count ? source.lineStart(line + 2) - 1 : text.length;
    const first = skipSpaces(text, start, end);
    starts[line] = start;
    ends[line] = end;
    firsts[line] = first;
    lasts[line] = trimmedEnd(text, first, end);
  }
  return { text, count, starts, ends, firsts, lasts };
}

/** The line an offset falls in (the line whose \n it is, for a line break). */
export function lineAt(lines: TrimmedLines, offset: number): number {
  let low = 0;
  let high = lines.count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lines.starts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * A line cut to text[from, to] (a range's first and last lines may be cut), trimmed: what the
 * range's walks read as that line. Lines wholly in the range keep their bounds as found.
 */
export interface LinePart {
  start: number;
  end: number;
  first: number;
  last: number;
}

/** Fills `part` with line `line` cut to text[from, to]. */
export function cutLine(lines: TrimmedLines, line: number, from: number, to: number, part: LinePart): void {
  const start = lines.starts[line] as number;
  const end = lines.ends[line] as number;
  if (start >= from && end <= to) {
    part.start = start;
    part.end = end;
    part.first = lines.firsts[line] as number;
    part.last = lines.lasts[line] as number;
    return;
  }
  part.start = start < from ? from : start;
  part.end = end > to ? to : end;
  part.first = skipSpaces(lines.text, part.start, part.end);
  part.last = trimmedEnd(lines.text, part.first, part.end);
}
