/**
 * Word files (.docx) to HTML, for the HTML adapter. Merged cells come out as
 * rowspan/colspan. Each block ends a line, so that cell positions name a
 * line of the converted HTML rather than one long line.
 *
 * mammoth is the converter of record; it takes about a second of CPU per
 * megabyte of document XML and a tenth of a millisecond per table cell, so a
 * document whose XML is larger than any report's, or with more table cells
 * than any report's, is converted by one linear pass over its text,
 * paragraphs and tables instead (the same HTML for those, without headings,
 * lists or bold and italic, which the HTML adapter does not read).
 */
import { inflateRawSync } from 'node:zlib';
import { DecodeError } from './decode.js';

/** Document XML beyond this size is converted by the linear pass. */
export const LARGE_DOCUMENT_XML = 3_000_000;
/** Documents with more table cells than this are converted by the linear pass (a report has a few hundred). */
export const MANY_TABLE_CELLS = 3_000;

/** Whether the document XML has more than `limit` table cells (`<w:tc>`), counted no further than that. */
export function hasMoreCells(xml: string, limit: number): boolean {
  let count = 0;
  for (let at = xml.indexOf('<w:tc'); at !== -1; at = xml.indexOf('<w:tc', at + 5)) {
    const next = xml.charCodeAt(at + 5);
    // <w:tc> or <w:tc attr…>, not <w:tcPr> or <w:tcW>.
    if ((next === 0x3e || next === 0x20 || next === 0x2f) && ++count > limit) return true;
  }
  return false;
}

const blockEnds = (html: string) => html.replace(/(<\/(?:p|h[1-6]|li|tr|table|ul|ol)>)/g, '$1\n');

export async function docxToHtml(bytes: Uint8Array): Promise<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const large = documentXml(buffer, LARGE_DOCUMENT_XML);
  if (large !== null) return blockEnds(documentXmlToHtml(large));
  const xml = documentXml(buffer, 0);
  if (xml !== null && hasMoreCells(xml, MANY_TABLE_CELLS)) return blockEnds(documentXmlToHtml(xml));
  // Loaded on first use: a process that reads no Word file (most builds, every check of text) is spared its start-up.
  const { default: mammoth } = await import('mammoth');
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer });
    html = result.value;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new DecodeError(`无法读取 Word 文件：文件已损坏或不是 .docx 格式（${why}）`, 1, 1);
  }
  return blockEnds(html);
}

/**
 * The text of word/document.xml when the archive holds it plainly (stored or
 * deflated, no ZIP64) and it is larger than `minimumSize`; null otherwise,
 * and for anything unexpected, which mammoth then reads or reports.
 */
export function documentXml(zip: Buffer, minimumSize: number): string | null {
  try {
    const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (endAt < 0 || endAt + 22 > zip.length) return null;
    const entries = zip.readUInt16LE(endAt + 10);
    let at = zip.readUInt32LE(endAt + 16);
    for (let i = 0; i < entries && at + 46 <= zip.length; i++) {
      if (zip.readUInt32LE(at) !== 0x02014b50) return null;
      const method = zip.readUInt16LE(at + 10);
      const compressed = zip.readUInt32LE(at + 20);
      const size = zip.readUInt32LE(at + 24);
      const nameLength = zip.readUInt16LE(at + 28);
      const extraLength = zip.readUInt16LE(at + 30);
      const commentLength = zip.readUInt16LE(at + 32);
      const local = zip.readUInt32LE(at + 42);
      const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + extraLength + commentLength;
      if (name !== 'word/document.xml') continue;
      if (size <= minimumSize || size === 0xffffffff || zip.readUInt32LE(local) !== 0x04034b50) return null;
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return data.toString('utf8');
      if (method === 8) return inflateRawSync(data).toString('utf8');
      return null;
    }
  } catch {
    return null;
  }
  return null;
}

const XML_ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(text: string): string {
  return text.replace(XML_ENTITY, (_all, decimal?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name] ?? '';
    const code = decimal ? Number(decimal) : parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

const htmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface DocxCell {
  html: string;
  colspan: number;
  /** 'restart' opens a vertical merge, 'continue' extends the one above. */
  merge: 'restart' | 'continue' | null;
  rowspan: number;
  /** Continues a merge: its row span is counted by the cell that opened it. */
  merged: boolean;
}

interface DocxTable {
  rows: DocxCell[][];
}

/** A table's HTML, vertical merges turned into rowspans on the cell that opens them, as mammoth does. */
function tableHtml(table: DocxTable): string {
  const opened = new Map<number, DocxCell>();
  const rows = table.rows.map((row) => {
    let column = 0;
    for (const cell of row) {
      const above = opened.get(column);
      if (cell.merge === 'continue' && above) {
        above.rowspan++;
        cell.merged = true;
      } else if (cell.merge === 'restart') opened.set(column, cell);
      else opened.delete(column);
      column += cell.colspan;
    }
    return row;
  });
  const html = rows.map((row) => {
    const cells = row.map((cell) => {
      if (cell.merged) return '';
      const colspan = cell.colspan > 1 ? ` colspan="${cell.colspan}"` : '';
      const rowspan = cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : '';
      return `<td${colspan}${rowspan}>${cell.html}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table>${html.join('')}</table>`;
}

/** A tag's name after `<` or `</`: a letter, then letters, digits and `_.:-`. */
const isLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isNamePart = (code: number) => isLetter(code) || (code >= 0x30 && code <= 0x3a) || code === 0x5f || code === 0x2e || code === 0x2d;

interface XmlTag {
  closing: boolean;
  name: string;
  attributes: string;
  selfClosing: boolean;
  /** Offset just past the tag's `>`. */
  end: number;
}

/** The tag at `<` (offset `at`), or null where none starts (the `<` is then read as text). */
function tagAt(xml: string, at: number): XmlTag | null {
  const closing = xml.charCodeAt(at + 1) === 0x2f;
  const nameStart = at + (closing ? 2 : 1);
  if (!isLetter(xml.charCodeAt(nameStart))) return null;
  let nameEnd = nameStart + 1;
  while (isNamePart(xml.charCodeAt(nameEnd))) nameEnd++;
  const gt = xml.indexOf('>', nameEnd);
  if (gt === -1) return null;
  const selfClosing = gt > nameEnd && xml.charCodeAt(gt - 1) === 0x2f;
  return { closing, name: xml.slice(nameStart, nameEnd), attributes: xml.slice(nameEnd, selfClosing ? gt - 1 : gt), selfClosing, end: gt + 1 };
}

/**
 * Paragraphs and tables of WordprocessingML as mammoth writes them: text
 * runs (deleted text left out), tabs and breaks, empty paragraphs dropped,
 * gridSpan as colspan, vMerge as rowspan. One pass over the tags.
 */
export function documentXmlToHtml(xml: string): string {
  const out: string[] = [];
  const tables: DocxTable[] = [];
  let paragraph: string | null = null;
  let cell: DocxCell | null = null;
  const cells: (DocxCell | null)[] = [];
  let inText = false;
  let deleted = 0;
  const emit = (html: string) => {
    if (cell) cell.html += html;
    else out.push(html);
  };
  // One pass of indexOf over text runs and tags (a regex over the whole document allocates a match per token).
  let at = 0;
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > at && inText && deleted === 0 && paragraph !== null) paragraph += htmlText(xmlText(xml.slice(at, textEnd)));
    if (lt === -1) break;
    const tag = tagAt(xml, lt);
    if (!tag) {
      // Not a tag: the `<` is passed over and what follows it read as text.
      at = lt + 1;
      continue;
    }
    at = tag.end;
    const { closing, name, attributes, selfClosing } = tag;
    const opening = !closing;
    switch (name) {
      case 'w:t':
        inText = opening && !selfClosing;
        break;
      case 'w:del':
        if (!selfClosing) deleted += opening ? 1 : -1;
        break;
      case 'w:tab':
        if (opening && deleted === 0 && paragraph !== null) paragraph += '\t';
        break;
      case 'w:br':
        if (opening && deleted === 0 && paragraph !== null) paragraph += '<br />';
        break;
      case 'w:p':
        if (opening && !selfClosing) paragraph = '';
        else if (closing && paragraph !== null) {
          if (paragraph !== '') emit(`<p>${paragraph}</p>`);
          paragraph = null;
        }
        break;
      case 'w:tbl':
        if (opening && !selfClosing) {
          cells.push(cell);
          cell = null;
          tables.push({ rows: [] });
        } else if (closing) {
          const table = tables.pop();
          cell = cells.pop() ?? null;
          if (table) emit(tableHtml(table));
        }
        break;
      case 'w:tr':
        if (opening && !selfClosing) tables.at(-1)?.rows.push([]);
        break;
      case 'w:tc':
        if (opening && !selfClosing) {
          cell = { html: '', colspan: 1, merge: null, rowspan: 1, merged: false };
          tables.at(-1)?.rows.at(-1)?.push(cell);
        } else if (closing) cell = null;
        break;
      case 'w:gridSpan': {
        const span = Number(/w:val="(\d+)"/.exec(attributes)?.[1] ?? 1);
        if (cell && span > 1) cell.colspan = Math.min(span, 1000);
        break;
      }
      case 'w:vMerge':
        if (cell) cell.merge = /w:val="restart"/.test(attributes) ? 'restart' : 'continue';
        break;
    }
  }
  return out.join('');
}
