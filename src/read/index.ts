/**
 * Bytes to a Source. Text files are decoded (encodings, mojibake); binary
 * forms (Word, PDF) are converted to the text their adapters read.
 */
import { decode, DecodeError } from './decode.js';
import { docxToHtml } from './docx.js';
import { pdfText, readPdf } from './pdf.js';
import { Source } from './source.js';

export { DecodeError } from './decode.js';

function extension(file: string): string {
  return /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
}

export async function toSource(file: string, bytes: Uint8Array): Promise<Source> {
  switch (extension(file)) {
    case 'docx':
      return new Source(file, await docxToHtml(bytes), { from: 'docx' });
    case 'pdf': {
      const pdf = await readPdf(bytes);
      return new Source(file, pdfText(pdf), { from: 'pdf', pdf });
    }
    case 'doc':
      throw new DecodeError('不支持旧版 Word 文件（.doc）：请在 Word 或 WPS 中另存为 .docx 后再读取', 1, 1);
    default:
      return new Source(file, decode(bytes).text);
  }
}
