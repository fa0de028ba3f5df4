/**
 * Bytes to a Source. Text files are decoded (encodings, mojibake); binary
 * forms (Word, PDF) are converted to the text their adapters read.
 */
import { decode } from './decode.js';
import { Source } from './source.js';

export { DecodeError } from './decode.js';

export async function toSource(file: string, bytes: Uint8Array): Promise<Source> {
  return new Source(file, decode(bytes).text);
}
