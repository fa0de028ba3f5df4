/**
 * sha256 of text, in hex, in one call: crypto.hash (Node 20.12 and later)
 * where there is one. Making a Hash object costs more than hashing a short
 * text, and a build hashes tens of thousands (keys of parts and pages,
 * path segments, search buckets).
 */
import * as crypto from 'node:crypto';

export const sha256Text: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** sha256 of bytes, in hex (a site file's content hash), in one call likewise. */
export const sha256Bytes: (bytes: Uint8Array) => string =
  typeof crypto.hash === 'function' ? (bytes) => crypto.hash('sha256', bytes, 'hex') : (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** sha256 of the texts, each followed by NUL (as a Hash updated with each and '\0' in turn). */
export function sha256OfTexts(parts: readonly string[]): string {
  let text = '';
  for (const part of parts) text += `${part}\0`;
  return sha256Text(text);
}

/** The length of a sha256, in bytes. */
export const SHA256_BYTES = 32;

/**
 * Writes a sha256 given in hex into `bytes` at `offset`: false when `hex` is
 * not 64 hex digits (Buffer#write stops at the first pair that is not hex).
 * One in uppercase is taken, and reads back in lowercase.
 */
export function writeSha256Hex(bytes: Buffer, offset: number, hex: string): boolean {
  return hex.length === SHA256_BYTES * 2 && bytes.write(hex, offset, 'hex') === SHA256_BYTES;
}
