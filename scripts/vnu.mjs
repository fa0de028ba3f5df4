#!/usr/bin/env node
/**
 * Runs the Nu HTML Checker (npm package vnu-jar, on the machine's Java) over
 * every page of a built site and fails on any error or warning.
 *
 * The pages are served over HTTP on localhost while they are checked: their
 * Content-Security-Policy allows stylesheets from 'self', which a page opened
 * from file: has no origin to match, so checking files directly would report
 * every stylesheet as blocked.
 *
 * Usage: node scripts/vnu.mjs [DIR]   (default dist)
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(process.argv[2] ?? 'dist');
const require = createRequire(import.meta.url);
const vnuJar = require.resolve('vnu-jar/build/dist/vnu.jar');
const { startServer } = await import(pathToFileURL(resolve(import.meta.dirname, '../lib/cli/preview.js')).href);

const pages = readdirSync(root, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.html'))
  .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
  .sort();
if (pages.length === 0) {
  console.error(`vnu: ${root} 中没有 HTML 页面`);
  process.exit(2);
}

const server = await startServer(root, 0, '127.0.0.1');
const port = server.address().port;
const urls = pages.map((p) => `http://127.0.0.1:${port}/${p.split('/').map(encodeURIComponent).join('/')}`);

let failed = false;
const BATCH = 200;
for (let i = 0; i < urls.length; i += BATCH) {
  const batch = urls.slice(i, i + BATCH);
  // Asynchronous: a synchronous child would block the event loop that serves the pages.
  const run = await new Promise((done) => {
    const child = spawn('java', ['-Dnu.validator.servlet.allow-forbidden-hosts=true', '-jar', vnuJar, '--format', 'text', '--Werror', ...batch], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (error) => done({ code: 2, out: `无法运行 java：${error.message}\n` }));
    child.on('close', (code) => done({ code, out }));
  });
  if (run.out.trim()) process.stdout.write(run.out);
  if (run.code !== 0) failed = true;
}
server.close();
console.log(failed ? `vnu：${pages.length} 个页面中有错误或警告` : `vnu：${pages.length} 个页面，0 个错误，0 个警告`);
process.exit(failed ? 1 : 0);
