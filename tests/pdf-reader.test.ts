/**
 * One pdfjs worker serves every PDF read in the process: documents read at
 * the same time, or after a file pdfjs refused, read as they do alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { randomBytes } from '../src/bench/hostile-inputs.js';
import { DecodeError } from '../src/read/decode.js';
import { readPdf } from '../src/read/pdf.js';
import { corpusDir } from './helpers/corpus.js';

const files = readdirSync(join(corpusDir, 'pdf'))
  .filter((name) => name.endsWith('.pdf'))
  .map((name) => readFileSync(join(corpusDir, 'pdf', name)));

test('the corpus PDFs read at once, twice over and among damaged files, read as each does alone', { timeout: 120_000 }, async () => {
  const alone: string[] = [];
  for (const bytes of files) alone.push(JSON.stringify(await readPdf(bytes)));
  const damaged = [randomBytes(100_000, 1), files[0]?.subarray(0, 50_000) ?? new Uint8Array()];
  const inputs = [...files, ...damaged, ...files];
  const results = await Promise.allSettled(inputs.map((bytes) => readPdf(bytes)));
  const read = results.map((r) => (r.status === 'fulfilled' ? JSON.stringify(r.value) : r.reason));
  expect(read.slice(0, files.length)).toEqual(alone);
  expect(read.slice(files.length + damaged.length)).toEqual(alone);
  for (const failure of read.slice(files.length, files.length + damaged.length)) expect(failure).toBeInstanceOf(DecodeError);
});
