/**
 * sha256 of text, in hex, in one call: crypto.hash (Node 20.12 and later)
 * where there is one. Making a Hash object costs more than hashing a short
 * text, and a build hashes tens of thousands (keys of parts and pages,
 * path segments, search buckets).
 */
import * as crypto from 'node:crypto';
import type { Finding } from '../rules/types.js';

export const sha256Text: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** sha256 of bytes, in hex (a site file's content hash), in one call likewise. */
export const sha256Bytes: (bytes: Uint8Array) => string =
  typeof crypto.hash === 'function' ? (bytes) => crypto.hash('sha256', bytes, 'hex') : (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/**
 * Characters of texts joined for one update of a Hash, about: a site-wide
 * key hashes tens of thousands of texts (MBs), which joined whole took
 * twice as long as in pieces of this size (a string of that many pieces
 * flattened, then encoded).
 */
const charsPerUpdate = 16384;

/** sha256 of the texts, each followed by NUL (as a Hash updated with each and '\0' in turn). */
export function sha256OfTexts(parts: readonly string[]): string {
  let text = '';
  let hash: crypto.Hash | null = null;
  for (const part of parts) {
    text += `${part}\0`;
    if (text.length >= charsPerUpdate) {
      // Whole texts, each with its NUL: no character is cut in two between updates.
      (hash ??= crypto.createHash('sha256')).update(text);
      text = '';
    }
  }
  return hash ? hash.update(text).digest('hex') : sha256Text(text);
}

/**
 * A hash of a report's findings in page order (rules/finding-order.ts
 * inPageOrder): all the site's keys take of them. The check memo keeps it,
 * so that a rebuild need not write out every report's findings again.
 */
export function findingsHashOf(inOrder: readonly Finding[]): string {
  return sha256Text(JSON.stringify(inOrder));
}

/** The length of a sha256, in bytes. */
export const SHA256_BYTES = 32;

/**
 * Writes the sha256 in hex of the manifest's file `path` into `bytes` at
 * `offset`; throws when `hex` is not 64 hex digits (Buffer#write stops at
 * the first pair that is not hex): it would be kept wrong, and the file
 * trusted wrongly. One in uppercase is taken, and reads back in lowercase:
 * unequal to the hash made of the same content, its file is written again.
 */
export function writeSha256Hex(bytes: Buffer, offset: number, hex: string, path: string): void {
  if (hex.length !== SHA256_BYTES * 2 || bytes.write(hex, offset, 'hex') !== SHA256_BYTES) throw new Error(`manifest hash of ${path} is not a sha256: ${hex}`);
}
