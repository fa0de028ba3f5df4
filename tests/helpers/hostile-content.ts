/**
 * The hostile-text matrix: one content folder whose every field — body name
 * (folder and front matter), title, prose, table labels, cell text, front
 * matter values — carries script, style, event handlers, javascript: and
 * data: URLs, eta's own tags and Unicode bidi and control characters. Used by
 * tests/reliability-hostile.test.ts (strings and jsdom) and
 * tests/browser/hostile.test.ts (Chromium).
 */
import { readFileSync } from 'node:fs';
import { exampleReport } from '../../src/rules/example-builder.js';
import { corpusFile } from './corpus.js';
import { makeContent } from '../site-helpers.js';

/** A marker a script would print or send if any of the payloads ran. */
export const MARKER = 'PWNED';

export const payloads = [
  `<script>console.log('${MARKER}');alert(1)</script>`,
  `<img src=x onerror="console.log('${MARKER}')">`,
  `<svg onload=alert(2)>`,
  `<a href="javascript:console.log('${MARKER}')">j1</a>`,
  `[j2](javascript:alert(3))`,
  `[d1](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)`,
  `![x](data:image/svg+xml,<svg onload=alert(5)>)`,
  `<style>body{display:none}</style>`,
  `<iframe src="http://example.com/"></iframe>`,
  `" onmouseover="alert(6)" x="`,
  `<%= it %>`,
  `<%~ it.body %>`,
  `<% console.log('${MARKER}') %>`,
  `\u202e\u202d\u2066\u200f`,
  `\u001b[31m\u0007\u0008`,
];
export const attack = payloads.join(' ');
/** One line of attack without characters a folder name cannot hold. */
const folderAttack = `局<b onmouseover=alert(7)>\u202e<%= it %>`;

export function hostileContent(): string {
  // Table 三's header label and a row label of the Markdown form carry the attack too.
  // Front matter as JSON strings (valid YAML), so every value arrives whole, controls included.
  const frontMatter = [
    '---',
    `agency: ${JSON.stringify(`示例${attack}局`)}`,
    'year: 2024',
    `title: ${JSON.stringify(`示例${attack}2024年政府信息公开工作年度报告`)}`,
    `indexNo: ${JSON.stringify(`<%= it %>\u202e\u0000${payloads[0]}`)}`,
    `source: ${JSON.stringify('javascript:alert(9)')}`,
    '---',
    '',
  ].join('\n');
  const markdown = exampleReport({
    overview: `概述。${attack}`,
    problems: `问题${attack}`,
    other: `未收取信息处理费。${attack}`,
    // The cell sits in a column whose label is intact, so it is read (as unread text).
    requests: { newReceived: [1, `<script>alert(8)</script>`, 0, 0, 0, 0, 1] },
  })
    .replace(/^---\n[\s\S]*?\n---\n/, frontMatter)
    .replace('| 自然人 |', `| 自然人${payloads[0]} |`)
    .replace('（一）予以公开', `（一）予以公开${payloads[1]}`);
  const crawled = readFileSync(corpusFile('001'), 'utf8').replace(/^标题[:：](.*)$/m, `标题：$1${attack}`);
  const seed = readFileSync(corpusFile('000'), 'utf8').split('\n');
  seed[1] = `${seed[1]}${attack}`;
  return makeContent(
    {},
    {
      [`${folderAttack}/2024.md`]: markdown,
      [`平潭${folderAttack}/2025.txt`]: crawled,
      [`桐柏县应急管理局${folderAttack}/2022.txt`]: seed.join('\n'),
      // NUL and other control characters inside the text of a report of its own.
      [`控制字符局/2023.md`]: exampleReport({ agency: '控制字符局', year: 2023, overview: `概述\u0000\u0001\u001b[2J${attack}` }),
    },
  );
}
