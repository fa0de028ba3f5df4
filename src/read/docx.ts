/**
 * Word files (.docx) to HTML through mammoth, for the HTML adapter. Merged
 * cells come out as rowspan/colspan. Each block ends a line, so that cell
 * positions name a line of the converted HTML rather than one long line.
 */
import mammoth from 'mammoth';
import { DecodeError } from './decode.js';

export async function docxToHtml(bytes: Uint8Array): Promise<string> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    html = result.value;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new DecodeError(`无法读取 Word 文件：文件已损坏或不是 .docx 格式（${why}）`, 1, 1);
  }
  return html.replace(/(<\/(?:p|h[1-6]|li|tr|table|ul|ol)>)/g, '$1\n');
}
