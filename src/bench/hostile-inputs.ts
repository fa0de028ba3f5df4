/**
 * Pathological inputs for every physical form: huge files, one huge line,
 * deep nesting, very wide tables, long blank runs, random bytes. Shared by
 * tests/reliability-input.test.ts (small sizes) and `npm run fuzz` (full
 * sizes, timed). Word and PDF files are assembled here from scratch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { exampleReport } from '../rules/example-builder.js';

export interface FormSeed {
  /** The adapter the seed is read by. */
  form: string;
  /** File name given to the parser (its extension selects the reader). */
  name: string;
  bytes: Uint8Array;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

export function formSeeds(corpus: string): FormSeed[] {
  const report = (file: string) => readFileSync(join(corpus, 'reports', file));
  return [
    { form: 'cell-lines', name: '000.txt', bytes: report('000-tongbai-yingji-2022.txt') },
    { form: 'flat-text', name: '001.txt', bytes: report('001-pingtan-2025.txt') },
    { form: 'pdf-text', name: '009.txt', bytes: report('009-huaian-city-2024-pdfplumber.txt') },
    { form: 'markdown', name: 'example.md', bytes: utf8(exampleReport()) },
    { form: 'converted-markdown', name: '011.md', bytes: report('011-shuyang-county-2025-ocrmd.md') },
    { form: 'html', name: '014.html', bytes: report('014-pingtan-2025-trs-editor.html') },
    { form: 'html', name: 'template.docx', bytes: readFileSync(join(corpus, 'docx', 'template-2021-blank.docx')) },
    { form: 'pdf-layout', name: '009.pdf', bytes: readFileSync(join(corpus, 'pdf', '009-huaian-city-2024.pdf')) },
  ];
}

function repeatTo(text: string, bytes: number, separator = '\n'): string {
  const unit = Buffer.byteLength(text + separator);
  return Array.from({ length: Math.max(1, Math.ceil(bytes / unit)) }, () => text).join(separator);
}

export interface Pathological {
  kind: string;
  text: string;
}

/** Text-form pathologies, built on a real report's text; `mb` scales the large ones (20 in the fuzz run). */
export function textPathologies(text: string, mb: number): Pathological[] {
  const flat = text.replace(/\n/g, ' ');
  const n = 10_000;
  // Indentation grows with the level, so the text grows with its square: 1,000 levels make 1 MB.
  const levels = Math.round(1000 * Math.sqrt(mb));
  return [
    { kind: `whole report repeated to ${mb} MB`, text: repeatTo(text, mb * 1e6) },
    { kind: `one line of ${mb / 4} MB`, text: `${text}\n${repeatTo(flat, (mb / 4) * 1e6, ' ')}\n` },
    { kind: `${mb / 4} MB blank run inside a line`, text: `${text}\n1${' \t\u3000'.repeat((mb / 12) * 1e6)}1 |\n` },
    { kind: `${n} nested block quotes`, text: `${text}\n${'>'.repeat(n)} 1\n` },
    { kind: `${n} nested list items`, text: `${text}\n${'- '.repeat(n)}1\n` },
    // Inline HTML sends the piece to remark, which must not meet the nesting uncapped.
    { kind: `${n} nested list items around inline HTML`, text: `${text}\n${'- '.repeat(n)}<b>1</b>\n` },
    { kind: `${levels} list levels by indentation`, text: `${text}\n${Array.from({ length: levels }, (_, i) => `${' '.repeat(i * 2)}- 1`).join('\n')}\n` },
    { kind: `${n} nested HTML elements`, text: `${text}\n${'<div>'.repeat(n)}1${'</div>'.repeat(n)}\n` },
    { kind: `${n} nested HTML tables`, text: `${text}\n${'<table><tr><td>'.repeat(n / 10)}1${'</td></tr></table>'.repeat(n / 10)}\n` },
    { kind: `Markdown table of ${n} columns`, text: `${text}\n\n${'|a'.repeat(n)}|\n${'|-'.repeat(n)}|\n${'|1'.repeat(n)}|\n` },
    { kind: `HTML table of ${n} columns`, text: `${text}\n<table><tr>${'<td>1</td>'.repeat(n)}</tr><tr>${'<td colspan="3">2</td>'.repeat(n)}</tr></table>\n` },
    { kind: `cell-line row of ${n} cells`, text: `${text}\n${'1 |'.repeat(n)}\n` },
    { kind: `${n} space-separated figures`, text: `${text}\n${'1 '.repeat(n * 10)}\n` },
    { kind: 'heading, front matter and title lines with long blank runs', text: `---\nagency: a${' '.repeat(1e5)}b\n---\n#${' '.repeat(1e5)}x\n标题：${' '.repeat(1e5)}y\n${text}` },
    { kind: 'a place chain of suffix characters', text: `本报告由${'市'.repeat(2000)}某人民政府编制。\n${text}` },
  ];
}

/**
 * HTML-only pathologies, after the shared text ones: a page of nothing but
 * tiny paragraphs, tables nested 13 deep over and over (both grow with
 * `mb`), and runs of tags that nest although they look closed or stray:
 * `<div/>` (HTML ignores the slash), `<rt>`, `<rp>` and `<optgroup>` outside
 * their parents.
 */
export function htmlPathologies(text: string, mb: number): Pathological[] {
  const n = 10_000;
  const nestedTables = `${'<table><tr><td>'.repeat(13)}1${'</td></tr></table>'.repeat(13)}`;
  return [
    { kind: `${mb} MB of tiny paragraphs`, text: `${text}\n${repeatTo('<p>x', mb * 1e6, '')}\n` },
    { kind: `${mb} MB of tables nested 13 deep`, text: `${text}\n${repeatTo(nestedTables, mb * 1e6, '')}\n` },
    ...['<div/>', '<rt>', '<rp>', '<optgroup>'].map((tag) => ({ kind: `${n} ${tag} in a row`, text: `${text}\n${tag.repeat(n)}1\n` })),
  ];
}

// ------------------------------------------------------------------ Word

/** A zip archive of stored (uncompressed) entries. */
function zip(entries: [string, Uint8Array][]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, Buffer.from(data));
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A .docx whose body is the given WordprocessingML. */
export function docxOf(bodyXml: string): Uint8Array {
  const w = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  return zip([
    [
      '[Content_Types].xml',
      utf8(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    ],
    [
      '_rels/.rels',
      utf8(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
    ],
    ['word/document.xml', utf8(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${w}"><w:body>${bodyXml}</w:body></w:document>`)],
  ]);
}

const paragraph = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`;
const cell = (text: string) => `<w:tc>${paragraph(text)}</w:tc>`;

/** Word-file pathologies: a report's text as paragraphs, huge, wide and nested. */
export function docxPathologies(text: string, mb: number): { kind: string; bytes: Uint8Array }[] {
  const paragraphs = text.split('\n').map(paragraph).join('');
  const n = 10_000;
  return [
    { kind: `Word file of ${mb} MB of paragraphs`, bytes: docxOf(repeatTo(paragraphs, mb * 1e6, '')) },
    { kind: `Word table of ${n} columns`, bytes: docxOf(`${paragraphs}<w:tbl><w:tr>${cell('1').repeat(n)}</w:tr></w:tbl>`) },
    { kind: `Word tables nested ${n / 50} deep`, bytes: docxOf(`${paragraphs}${'<w:tbl><w:tr><w:tc>'.repeat(n / 50)}${paragraph('1')}${'</w:tc></w:tr></w:tbl>'.repeat(n / 50)}`) },
    { kind: `Word paragraph of ${mb / 4} MB`, bytes: docxOf(paragraphs + paragraph(repeatTo(text.replace(/\n/g, ' '), (mb / 4) * 1e6, ' '))) },
  ];
}

// ------------------------------------------------------------------ PDF

/** A one-page PDF drawing the given content stream with Helvetica as F1. */
export function pdfOf(content: string, width = 595, height = 842): Uint8Array {
  return pdfOfPages([content], width, height);
}

/** An RGB image of 8-bit samples, Flate-compressed. */
interface PdfImage {
  width: number;
  height: number;
  flate: Uint8Array;
}

/** A PDF of one page per content stream, each drawn with Helvetica as F1 and, when given, its image as Im1. */
export function pdfOfPages(contents: readonly string[], width = 595, height = 842, images: readonly PdfImage[] = []): Uint8Array {
  // Objects: the catalog, the page tree, the pages, the font, the pages' contents (one page: the layout pdfOf always had), the images.
  const n = contents.length;
  const imageResource = (i: number) => (images[i] ? `/XObject<</Im1 ${4 + 2 * n + i} 0 R>>` : '');
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    `<</Type/Pages/Kids[${contents.map((_, i) => `${3 + i} 0 R`).join(' ')}]/Count ${n}>>`,
    ...contents.map((_, i) => `<</Type/Page/Parent 2 0 R/MediaBox[0 0 ${width} ${height}]/Resources<</Font<</F1 ${3 + n} 0 R>>${imageResource(i)}>>/Contents ${4 + n + i} 0 R>>`),
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
    ...contents.map((content) => `<</Length ${Buffer.byteLength(content, 'latin1')}>>\nstream\n${content}\nendstream`),
    ...images.map(
      (image) =>
        `<</Type/XObject/Subtype/Image/Width ${image.width}/Height ${image.height}/ColorSpace/DeviceRGB/BitsPerComponent 8/Filter/FlateDecode/Length ${image.flate.length}>>\nstream\n${Buffer.from(image.flate).toString('latin1')}\nendstream`,
    ),
  ];
  const chunks = ['%PDF-1.4\n'];
  let length = chunks[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const chunk = `${i + 1} 0 obj\n${body}\nendobj\n`;
    chunks.push(chunk);
    length += Buffer.byteLength(chunk, 'latin1');
  });
  chunks.push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const offset of offsets) chunks.push(`${String(offset).padStart(10, '0')} 00000 n \n`);
  chunks.push(`trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${length}\n%%EOF\n`);
  return Buffer.from(chunks.join(''), 'latin1');
}

/**
 * A report-like page: a heading, forty lines of prose and a ruled table of
 * five rows and four columns with a figure in each cell (about 3 kB).
 */
function reportPage(page: number): string {
  const prose = Array.from({ length: 40 }, (_, i) => `BT /F1 10 Tf 60 ${760 - i * 12} Td (Page ${page} line ${i}: 1 2 3 4 5 6 7 8 9) Tj ET`);
  const table = Array.from({ length: 5 }, (_, r) =>
    Array.from({ length: 4 }, (_, c) => `${60 + c * 120} ${200 - r * 24} 120 24 re S BT /F1 9 Tf ${70 + c * 120} ${208 - r * 24} Td (${page + r * 4 + c}) Tj ET`).join('\n'),
  );
  return [`BT /F1 16 Tf 60 800 Td (Report page ${page}) Tj ET`, ...prose, ...table].join('\n');
}

/** Ten report pages, each drawn over a photograph (random pixels, which do not compress) of a tenth of `mb` megabytes. */
function pdfOverImages(mb: number): Uint8Array {
  const side = Math.ceil(Math.sqrt((mb * 1e5) / 3));
  const images = Array.from({ length: 10 }, (_, i) => ({ width: side, height: side, flate: deflateSync(randomBytes(side * side * 3, 20261126 + i), { level: 1 }) }));
  return pdfOfPages(
    images.map((_, i) => `q 595 0 0 842 0 0 cm /Im1 Do Q\n${reportPage(i + 1)}`),
    595,
    842,
    images,
  );
}

/**
 * A real PDF's pages over and over, `copies` times, each copy of a page with
 * a copy of its content stream: appended to the file as an incremental
 * update (new page and content objects, a new page tree in place of the
 * old). The seed's objects must be plain (not in object streams), each page
 * with one content stream, as in the corpus PDFs.
 */
export function pdfOfRepeatedPages(seed: Uint8Array, copies: number): Uint8Array {
  const text = Buffer.from(seed).toString('latin1');
  const bodies = new Map<number, string>();
  for (const match of text.matchAll(/(?:^|[\r\n])(\d+) 0 obj([\s\S]*?)endobj/g)) bodies.set(Number(match[1]), match[2] ?? '');
  const [pagesNumber, pagesBody] = [...bodies].find(([, body]) => /\/Type\s*\/Pages\b/.test(body)) ?? [0, ''];
  const kids = [...(/\/Kids\s*\[([^\]]*)\]/.exec(pagesBody)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  const root = /\/Root (\d+) 0 R/.exec(text)?.[1];
  const previous = [...text.matchAll(/startxref\s+(\d+)/g)].at(-1)?.[1];
  let next = Math.max(...[...text.matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1])));
  const added = new Map<number, string>();
  const pages: number[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const kid of kids) {
      const page = bodies.get(kid) ?? '';
      const contents = Number(/\/Contents (\d+) 0 R/.exec(page)?.[1]);
      added.set(next, bodies.get(contents) ?? '');
      added.set(next + 1, page.replace(/\/Contents \d+ 0 R/, `/Contents ${next} 0 R`));
      pages.push(next + 1);
      next += 2;
    }
  }
  added.set(pagesNumber, `<</Type /Pages/Count ${pages.length}/Kids [${pages.map((n) => `${n} 0 R`).join(' ')}]>>`);
  const chunks = [text, '\n'];
  let length = text.length + 1;
  const offsets: [number, number][] = [];
  for (const [number, body] of added) {
    offsets.push([number, length]);
    const chunk = `${number} 0 obj${body}endobj\n`;
    chunks.push(chunk);
    length += chunk.length;
  }
  chunks.push('xref\n', ...offsets.map(([number, offset]) => `${number} 1\n${String(offset).padStart(10, '0')} 00000 n \n`));
  chunks.push(`trailer\n<</Size ${next}/Root ${root} 0 R/Prev ${previous}>>\nstartxref\n${length}\n%%EOF\n`);
  return Buffer.from(chunks.join(''), 'latin1');
}

/** The seed's pages repeated until the file has about `mb` megabytes more. */
function repeatedToSize(seed: Uint8Array, mb: number): Uint8Array {
  const once = pdfOfRepeatedPages(seed, 1).length - seed.length;
  return pdfOfRepeatedPages(seed, Math.max(1, Math.round((mb * 1e6) / once)));
}

/**
 * PDF pathologies: many text lines, a table of ruled columns, one enormous
 * text run, a large image, many report-like pages and, given a real PDF,
 * its pages repeated to the size.
 */
export function pdfPathologies(mb: number, seed?: Uint8Array): { kind: string; bytes: Uint8Array }[] {
  const n = 10_000;
  const line = (i: number) => `BT /F1 8 Tf 20 ${800 - (i % 90) * 8} Td (${i} 1 2 3 4 5 6 7) Tj ET`;
  const lines = Array.from({ length: Math.ceil((mb * 1e6) / 45) }, (_, i) => line(i)).join('\n');
  const columns = Array.from({ length: n }, (_, i) => `${i * 2} 700 2 20 re S BT /F1 1 Tf ${i * 2} 710 Td (${i % 10}) Tj ET`).join('\n');
  return [
    { kind: `PDF of ${mb} MB of text lines on one page`, bytes: pdfOf(lines) },
    { kind: `PDF table of ${n} ruled columns`, bytes: pdfOf(columns, n * 2 + 10, 842) },
    { kind: `PDF text run of ${mb / 4} MB`, bytes: pdfOf(`BT /F1 1 Tf 0 400 Td (${'1 '.repeat((mb / 8) * 1e6)}) Tj ET`) },
    { kind: `PDF of 10 pages over images of ${mb} MB`, bytes: pdfOverImages(mb) },
    { kind: `PDF of ${mb} MB of report-like pages`, bytes: pdfOfPages(Array.from({ length: Math.ceil((mb * 1e6) / reportPage(0).length) }, (_, i) => reportPage(i + 1))) },
    ...(seed ? [{ kind: `PDF of ${mb} MB of a real report's pages`, bytes: repeatedToSize(seed, mb) }] : []),
  ];
}

/** Deterministic bytes (mulberry32). */
export function randomBytes(length: number, seed: number): Uint8Array {
  let state = seed >>> 0;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bytes[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return bytes;
}
