/** A decoded source file with offset → line/column lookup. */
import type { Position } from '../template/model.js';
import type { PdfDocument } from './pdf.js';

/** A binary form's conversion: Word files become HTML; PDFs keep their positioned text items. */
export type Converted = { from: 'docx' } | { from: 'pdf'; pdf: PdfDocument };

export class Source {
  private readonly lineStarts: number[];

  constructor(
    readonly file: string,
    readonly text: string,
    /** Set when the text was converted from a binary form: what it came from and what else the conversion kept. */
    readonly converted?: Converted,
  ) {
    this.lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  private extensionRead: string | undefined;

  /** The file name's extension, lower-cased ('' when none); worked out once, as every adapter's detection asks it. */
  get extension(): string {
    return (this.extensionRead ??= /\.([^./\\]+)$/.exec(this.file)?.[1]?.toLowerCase() ?? '');
  }

  /** The line (0-based) of the last lookup: readers ask in text order, mostly on the same or the next line. */
  private lastLine = 0;

  /** The 0-based line holding a 0-based offset. */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    const last = this.lastLine;
    // The last line asked or the next, tested straight: this runs for every cell and line read.
    if ((starts[last] as number) <= offset) {
      if (last + 1 === starts.length || offset < (starts[last + 1] as number)) return last;
      if (last + 2 === starts.length || offset < (starts[last + 2] as number)) return (this.lastLine = last + 1);
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    this.lastLine = low;
    return low;
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - (this.lineStarts[line] ?? 0) + 1 };
  }

  /**
   * Where 0-based line `line` ends: the offset of its line break, the text's length on the last line. Walks over the
   * lines of a part of the text go from line to line with it, without a lookup by offset per line.
   */
  lineEndAt(line: number): number {
    return line + 1 < this.lineStarts.length ? (this.lineStarts[line + 1] as number) - 1 : this.text.length;
  }

  /** Lines of the text: its line breaks plus one. */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** How many lines are longer than `length` code units, their line breaks not counted. */
  linesLongerThan(length: number): number {
    const starts = this.lineStarts;
    let long = 0;
    for (let line = 0; line < starts.length; line++) {
      if (this.lineEndAt(line) - (starts[line] as number) > length) long++;
    }
    return long;
  }

  /** 0-based offset of a 1-based line's start. */
  lineStart(line: number): number {
    return this.lineStarts[line - 1] ?? this.text.length;
  }
}
