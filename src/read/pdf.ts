/**
 * PDFs through pdfjs-dist (legacy build, no worker thread in Node): the text
 * items with their positions, and the ruling lines and cell rectangles the
 * page draws, so that tables can be rebuilt from geometry. Coordinates are
 * top-down (y grows downwards), in PDF points. A PDF without a text layer (a
 * scan) is refused with a message: nianbao does no OCR.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DecodeError } from './decode.js';

export interface PdfItem {
  text: string;
  /** Left, top, right, bottom of the item's box. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Font size (height of the glyphs). */
  size: number;
  /** Written top to bottom (a vertical header). */
  vertical: boolean;
  /** Offset of the item in the document's text rendering (`pdfText`). */
  offset: number;
}

/** A horizontal or vertical line segment (a ruling or a rectangle's edge). */
export interface PdfSegment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  items: PdfItem[];
  segments: PdfSegment[];
  /**
   * The page held more than MAX_PAGE_ITEMS text items or MAX_PAGE_CHARACTERS
   * characters: only the items within both limits were read, and no rulings.
   */
  truncated: boolean;
}

/**
 * Text items read from one page. A report page holds a few thousand at
 * most; pdfjs takes about a second per 20,000 items and more for the
 * drawing operations, so a page beyond this is read in part, with a message.
 */
export const MAX_PAGE_ITEMS = 20_000;

/**
 * Characters read from one page. A dense page of a report holds a few
 * thousand; pdfjs spends about a microsecond on each character, twice (text
 * and drawing operations), so a page beyond this is read in part too. An
 * item that would cross the limit is left out whole: a figure cut short
 * would be read as another figure.
 */
export const MAX_PAGE_CHARACTERS = 200_000;

/**
 * Pages read from one document. A report runs to a few dozen pages; pdfjs
 * costs milliseconds a page and finds each page by walking the page tree
 * from the start (quadratic in the page count), so pages beyond this are
 * not read, with a message.
 */
export const MAX_PAGES = 100;

type TextItem = { str: string; transform: number[]; width: number; height: number };

/** The page's text items within MAX_PAGE_ITEMS and MAX_PAGE_CHARACTERS (pdfjs stops extracting when the stream is cancelled). */
async function pageTextItems(page: PdfJsPage): Promise<{ items: TextItem[]; truncated: boolean }> {
  const reader = page.streamTextContent().getReader();
  const items: TextItem[] = [];
  let characters = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { items, truncated: false };
    for (const item of (value as { items: unknown[] }).items) {
      if (typeof item !== 'object' || item === null || !('str' in item)) continue;
      characters += (item as TextItem).str.length;
      if (items.length === MAX_PAGE_ITEMS || characters > MAX_PAGE_CHARACTERS) {
        await reader.cancel(new Error(`more than ${MAX_PAGE_ITEMS} text items or ${MAX_PAGE_CHARACTERS} characters`));
        return { items, truncated: true };
      }
      items.push(item as TextItem);
    }
  }
}

export interface PdfDocument {
  /** The pages read: the first MAX_PAGES. */
  pages: PdfPage[];
  /** Pages in the file. */
  pageCount: number;
}

type Matrix = [number, number, number, number, number, number];

function multiply(m: Matrix, n: readonly number[]): Matrix {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = n;
  return [
    m[0] * a + m[2] * b,
    m[1] * a + m[3] * b,
    m[0] * c + m[2] * d,
    m[1] * c + m[3] * d,
    m[0] * e + m[2] * f + m[4],
    m[1] * e + m[3] * f + m[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfJsPage = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
type Listener = (event: { data: unknown }) => void;

/**
 * pdfjs's two halves talk over a message port. Its own port for a single
 * thread deep-copies every message (structuredClone): a fifth of the time of
 * a large PDF, as operator lists carry an object per character shown. This
 * port passes messages as they are, except the chunks of a stream (text
 * items, operator lists), whose arrays pdfjs empties or replaces right after
 * sending: a chunk is copied one level down, its arrays copied.
 */
class InThreadPort {
  readonly #listeners = new Set<Listener>();

  postMessage(message: unknown): void {
    const event = { data: withChunkCopied(message) };
    // Delivered after the sender has gone on, in the order sent, as by pdfjs's own port.
    queueMicrotask(() => {
      for (const listener of this.#listeners) listener.call(this, event);
    });
  }

  addEventListener(_type: string, listener: Listener): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: string, listener: Listener): void {
    this.#listeners.delete(listener);
  }

  terminate(): void {}
}

function withChunkCopied(message: unknown): unknown {
  if (typeof message !== 'object' || message === null || !('chunk' in message)) return message;
  const { chunk } = message;
  if (typeof chunk !== 'object' || chunk === null) return message;
  const copy = Object.fromEntries(Object.entries(chunk).map(([key, value]) => [key, Array.isArray(value) ? value.slice() : value]));
  return { ...message, chunk: copy };
}

interface PdfJsRuntime {
  lib: PdfJs;
  /** The worker half, in this thread, shared by every document read. */
  worker: InstanceType<PdfJs['PDFWorker']>;
}

let pdfjs: Promise<PdfJsRuntime> | null = null;

/**
 * Loaded on first use: reading HTML or text never pays for pdfjs. Its legacy
 * build brings core-js, which replaces Array.prototype.push and JSON.parse
 * for the whole process with script versions (for edge cases of array
 * length and JSON source text that neither pdfjs nor nianbao meets): every
 * push after the first PDF ran several times slower, a third of the time of
 * a large PDF. The worker module does the same; the engine's own functions
 * are put back after both.
 */
function loadPdfJs(): Promise<PdfJsRuntime> {
  pdfjs ??= (async () => {
    const { push } = Array.prototype;
    const { parse } = JSON;
    const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
    // @ts-expect-error: the worker module has no types.
    const { WorkerMessageHandler } = (await import('pdfjs-dist/legacy/build/pdf.worker.mjs')) as {
      WorkerMessageHandler: { initializeFromPort(port: InThreadPort): void };
    };
    Object.defineProperty(Array.prototype, 'push', { value: push, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(JSON, 'parse', { value: parse, writable: true, configurable: true, enumerable: false });
    const port = new InThreadPort();
    WorkerMessageHandler.initializeFromPort(port);
    // pdfjs's types allow no port here, though its code takes one.
    const worker = new lib.PDFWorker({ port: port as unknown as null, verbosity: 0 });
    return { lib, worker };
  })();
  return pdfjs;
}

/**
 * The document pdfjs installs embedded fonts into, as CSS @font-face rules
 * (Node has none). Nothing is drawn, so the rules go nowhere; but with fonts
 * installed, pdfjs no longer turns every glyph shown into an outline path, as
 * it does under `disableFontFace`: that was half the operator-list time of a
 * real report. The text and drawing operations read are the same either way.
 */
const fontRuleSink = {
  createElement: () => ({ sheet: { cssRules: [], insertRule: () => 0 }, remove: () => undefined }),
  documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
};

/**
 * Rulings of the page: stroked lines and rectangle edges, and filled
 * rectangles thin enough to be rules. Filled areas (cell or line backgrounds)
 * and clipping paths are not rulings: they outline text as often as tables.
 */
async function pageSegments(lib: PdfJs, page: PdfJsPage, height: number): Promise<PdfSegment[]> {
  const { OPS } = lib;
  const list = await page.getOperatorList();
  const segments: PdfSegment[] = [];
  const stack: Matrix[] = [];
  // Page space (y up) to top-down coordinates.
  let ctm: Matrix = [1, 0, 0, -1, 0, height];
  let lines: [[number, number], [number, number]][] = [];
  let rects: Box[] = [];
  const push = (a: [number, number], b: [number, number]) => {
    const seg = { x0: Math.min(a[0], b[0]), y0: Math.min(a[1], b[1]), x1: Math.max(a[0], b[0]), y1: Math.max(a[1], b[1]) };
    const horizontal = seg.y1 - seg.y0 < 1.5;
    const vertical = seg.x1 - seg.x0 < 1.5;
    if ((horizontal || vertical) && Math.max(seg.x1 - seg.x0, seg.y1 - seg.y0) > 2) segments.push(seg);
  };
  const strokes = new Set([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  const fills = new Set([OPS.fill, OPS.eoFill]);
  list.fnArray.forEach((fn, i) => {
    const args = list.argsArray[i] as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as number[]);
    else if (fn === OPS.constructPath) {
      const [ops, coords] = args as [number[], number[]];
      let j = 0;
      let last: [number, number] | null = null;
      for (const op of ops) {
        if (op === OPS.moveTo) {
          last = apply(ctm, coords[j] ?? 0, coords[j + 1] ?? 0);
          j += 2;
        } else if (op === OPS.lineTo) {
          const next = apply(ctm, coords[j] ?? 0, coords[j + 1] ?? 0);
          if (last) lines.push([last, next]);
          last = next;
          j += 2;
        } else if (op === OPS.rectangle) {
          const [x = 0, y = 0, w = 0, h = 0] = coords.slice(j, j + 4);
          j += 4;
          const corners = [apply(ctm, x, y), apply(ctm, x + w, y), apply(ctm, x + w, y + h), apply(ctm, x, y + h)];
          const xs = corners.map((c) => c[0]);
          const ys = corners.map((c) => c[1]);
          rects.push({ x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) });
        } else if (op === OPS.curveTo) j += 6;
        else if (op === OPS.curveTo2 || op === OPS.curveTo3) j += 4;
      }
    } else if (strokes.has(fn) || fills.has(fn) || fn === OPS.endPath || fn === OPS.clip || fn === OPS.eoClip) {
      const stroked = strokes.has(fn);
      if (stroked) for (const [a, b] of lines) push(a, b);
      for (const r of rects) {
        const thin = r.y1 - r.y0 < 1.5 || r.x1 - r.x0 < 1.5;
        if (thin && (stroked || fills.has(fn))) {
          if (r.x1 - r.x0 >= r.y1 - r.y0) push([r.x0, (r.y0 + r.y1) / 2], [r.x1, (r.y0 + r.y1) / 2]);
          else push([(r.x0 + r.x1) / 2, r.y0], [(r.x0 + r.x1) / 2, r.y1]);
        } else if (stroked) {
          push([r.x0, r.y0], [r.x1, r.y0]);
          push([r.x0, r.y1], [r.x1, r.y1]);
          push([r.x0, r.y0], [r.x0, r.y1]);
          push([r.x1, r.y0], [r.x1, r.y1]);
        }
      }
      // A clip keeps its path for the paint that may follow (W n); anything else ends it.
      if (fn !== OPS.clip && fn !== OPS.eoClip) {
        lines = [];
        rects = [];
      }
    }
  });
  return segments;
}

/** Reads a PDF's positioned text and rulings. Throws DecodeError for files that are not readable PDFs or have no text. */
export async function readPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const { lib, worker } = await loadPdfJs();
  let document;
  try {
    document = await lib.getDocument({
      data: new Uint8Array(bytes),
      worker,
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: false,
      // When nothing is drawn, pdfjs uses no more of the document than fontRuleSink has.
      ownerDocument: fontRuleSink as unknown as HTMLDocument,
      verbosity: 0,
      cMapUrl: join(pdfjsRoot, 'cmaps') + '/',
      cMapPacked: true,
      standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + '/',
    }).promise;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new DecodeError(`无法读取 PDF 文件：文件已损坏、已加密或不是 PDF（${why}）`, 1, 1);
  }
  try {
    const pages: PdfPage[] = [];
    for (let number = 1; number <= Math.min(document.numPages, MAX_PAGES); number++) {
      const page = await document.getPage(number);
      const [, , width = 0, height = 0] = page.view;
      const content = await pageTextItems(page);
      const items: PdfItem[] = [];
      for (const item of content.items) {
        if (item.str.trim() === '') continue;
        const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform;
        const size = Math.hypot(c, d) || Math.hypot(a, b);
        // Vertical writing: the text advances down the page, so the item is taller than wide.
        const vertical = item.height > item.width * 1.5 && item.str.length > 1;
        const top = height - f - (vertical ? item.height - size : size);
        items.push({
          text: item.str,
          x0: e,
          x1: e + (vertical ? size : item.width),
          y0: vertical ? height - f - size * 0.8 : top,
          y1: vertical ? height - f - size * 0.8 + item.height : height - f + size * 0.2,
          size,
          vertical,
          offset: 0,
        });
      }
      const segments = content.truncated ? [] : await pageSegments(lib, page, height);
      pages.push({ number, width, height, items, segments, truncated: content.truncated });
      page.cleanup();
    }
    const characters = pages.reduce((n, p) => n + p.items.reduce((m, i) => m + i.text.trim().length, 0), 0);
    if (pages.length > 0 && characters < 20 * pages.length) {
      throw new DecodeError(
        `PDF 没有可用的文字层（共 ${pages.length} 页，仅 ${characters} 个字符），可能是扫描件或图片。nianbao 不做文字识别（OCR）：请使用带文字的 PDF、Word 原件或网页版年报。`,
        1,
        1,
      );
    }
    return { pages, pageCount: document.numPages };
  } finally {
    await document.destroy();
  }
}

/** Items on one visual line, left to right. */
export function pageLines(items: readonly PdfItem[]): PdfItem[][] {
  const sorted = [...items].sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2 || a.x0 - b.x0);
  const lines: PdfItem[][] = [];
  for (const item of sorted) {
    const middle = (item.y0 + item.y1) / 2;
    // Lines start in the order of their middles, so only the last few can be within half the item's size:
    // the earliest of those that matches, found walking back (searching all lines made a page quadratic).
    let line: PdfItem[] | undefined;
    for (let i = lines.length - 1; i >= 0; i--) {
      const first = (lines[i] as PdfItem[])[0] as PdfItem;
      const distance = middle - (first.y0 + first.y1) / 2;
      if (distance >= item.size * 0.5) break;
      if (Math.abs(distance) < Math.min(first.size, item.size) * 0.5) line = lines[i];
    }
    if (line) line.push(item);
    else lines.push([item]);
  }
  for (const line of lines) line.sort((a, b) => a.x0 - b.x0);
  return lines;
}

/**
 * The document as plain text, one visual line per line, page after page;
 * sets each item's offset in it. Positions in messages are lines of this text.
 */
export function pdfText(document: PdfDocument): string {
  let text = '';
  for (const page of document.pages) {
    for (const line of pageLines(page.items)) {
      let previous: PdfItem | null = null;
      for (const item of line) {
        if (previous && item.x0 - previous.x1 > Math.min(item.size, previous.size) * 0.5) text += ' ';
        item.offset = text.length;
        text += item.text;
        previous = item;
      }
      text += '\n';
    }
  }
  return text;
}
