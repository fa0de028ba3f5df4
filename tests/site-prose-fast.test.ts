/**
 * Prose made only of paragraphs is written without unified; the HTML must be
 * exactly what unified gives, on the corpus's prose and on random text built
 * from the characters prose is made of (CJK, ideographic spaces, digits,
 * Latin letters, punctuation that may or may not start Markdown).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { markdownToHtml, plainParagraphs, proseToHtml } from '../src/site/prose.js';
import { visibleProse } from '../src/site/view/text.js';
import { corpusDir } from './helpers/corpus.js';

function viaUnified(text: string): string {
  return markdownToHtml(visibleProse(text), 'p-', '正文');
}

describe('prose without Markdown syntax', () => {
  it('gives the same HTML as unified for every section of the corpus reports', async () => {
    const dir = join(corpusDir, 'reports');
    let sections = 0;
    for (const name of readdirSync(dir).sort()) {
      const result = await parseReport(join(dir, name), readFileSync(join(dir, name)));
      if (!result.ok) continue;
      for (const section of result.report.sections) {
        expect(proseToHtml(section.text, 'p-', '正文'), `${name} ${section.title}`).toBe(viaUnified(section.text));
        sections++;
      }
    }
    expect(sections).toBeGreaterThan(50);
  });

  it('gives the same HTML as unified for random prose', () => {
    const pieces = [
      '政府信息公开', '　　', '，', '。', '（', '）', '：', '、', '1', '2.', '12.5%', '2021-2022', ' ', '  ', '\n', '\n\n', '\n\n\n',
      'a', 'PDF', 'www.', 'http://x.cn', '1. ', '1) ', '- ', '-', '+', '=', '==', '#', '*', '_', '>', '<', '&', '"', "'",
      '|', '~', '`', '[', ']', '(', ')', '!', '\\', '\t', '\r\n', '\u3000', '\u00a0', '@', ':', ';', '/', '$', '{', '}', '---',
    ];
    // Mostly plain pieces with now and then a sign, so that both paths are taken often.
    const plain = [...pieces.slice(0, 15), '(', ')'];
    const piece = fc.oneof({ arbitrary: fc.constantFrom(...plain), weight: 12 }, { arbitrary: fc.constantFrom(...pieces), weight: 1 });
    let direct = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        if (plainParagraphs(visibleProse(text)) !== null) direct++;
        expect(proseToHtml(text, 'p-', '正文')).toBe(viaUnified(text));
      }),
      { numRuns: 3000 },
    );
    expect(direct).toBeGreaterThan(300);
  });

  it('takes the direct path for most of the corpus prose', async () => {
    // Not a speed test: the fast path must actually serve ordinary report prose, or it is dead weight.
    const dir = join(corpusDir, 'reports');
    const seed = readdirSync(dir).find((n) => n.startsWith('000-'))!;
    const result = await parseReport(join(dir, seed), readFileSync(join(dir, seed)));
    if (!result.ok) throw new Error('seed unreadable');
    const direct = result.report.sections.filter((s) => plainParagraphs(visibleProse(s.text)) !== null);
    expect(direct.length).toBeGreaterThan(result.report.sections.length / 2);
  });
});
