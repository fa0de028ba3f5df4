/**
 * What Pagefind is handed of each page (searchInput): the element it
 * reads, with the elements it ignores emptied. The index must be exactly
 * the one the whole pages make.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { indexShard, searchInput } from '../src/site/search.js';
import { buildTo, htmlPages, makeContent } from './site-helpers.js';

describe('search input', () => {
  let pages: { path: string; html: string }[];
  beforeAll(async () => {
    const content = makeContent({
      '006': '平潭综合实验区/2020.txt',
      '005': '平潭综合实验区/2021.txt',
      '004': '平潭综合实验区/2022.txt',
    });
    const { out } = await buildTo(content, { allowErrors: true });
    pages = htmlPages(out).filter((page) => page.html.includes('data-pagefind-body'));
  }, 120_000);

  it('empties the ignored tables of report and comparison pages, keeping their tags and the prose', () => {
    const kinds = pages.filter((page) => /\/(20\d\d|compare\/\d{4}-\d{4})\/index\.html$/.test(page.path));
    expect(kinds.length).toBeGreaterThanOrEqual(5);
    let before = 0;
    let after = 0;
    for (const page of kinds) {
      const input = searchInput(page.html);
      before += page.html.length;
      after += input.length;
      // Each ignored element kept, emptied; those within one are emptied with it.
      const markers = input.match(/data-pagefind-ignore/g)?.length ?? 0;
      expect(markers).toBeGreaterThan(0);
      expect(markers).toBeLessThanOrEqual(page.html.match(/data-pagefind-ignore/g)?.length ?? 0);
      expect(input).not.toMatch(/data-pagefind-ignore[^>]*>[^<]/);
      expect(input).not.toContain('<td');
      // Only the element Pagefind reads, in the page's <html> tag (its language): no head, header or footer.
      expect(input).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN"><body><main [^>]*data-pagefind-body>[\s\S]*<\/main><\/body><\/html>$/);
      const prose = /<section[^>]*id="section-problems"[\s\S]*?<\/section>/.exec(page.html)?.[0];
      if (prose) expect(input).toContain(prose);
    }
    expect(after).toBeLessThan(before / 2);
  });

  it('makes a Pagefind index byte-identical to the one of the whole pages', async () => {
    const whole = await indexShard(pages.map((page) => ({ path: page.path, content: page.html })));
    const emptied = await indexShard(pages.map((page) => ({ path: page.path, content: searchInput(page.html) })));
    expect(emptied.map((f) => f.path)).toEqual(whole.map((f) => f.path));
    emptied.forEach((file, i) => expect(Buffer.compare(Buffer.from(file.content), Buffer.from(whole[i]!.content))).toBe(0));
  }, 120_000);

  it('indexes a shard sent all at once exactly as pages added one after another', async () => {
    // indexShard sends every page before the first is answered, trusting Pagefind's service to take them in order.
    const pagefind = await import('pagefind');
    const { index } = await pagefind.createIndex({ forceLanguage: 'zh-cn', maxFragments: 8 });
    if (!index) throw new Error('no Pagefind index');
    for (const page of pages) expect((await index.addHTMLFile({ sourcePath: page.path, content: page.html })).errors).toEqual([]);
    const oneByOne = new Map((await index.getFiles()).files.map((f) => [f.path, Buffer.from(f.content)]));
    await pagefind.close();
    const atOnce = await indexShard(pages.map((page) => ({ path: page.path, content: page.html })));
    expect(atOnce.length).toBeGreaterThan(5);
    for (const file of atOnce) expect(Buffer.compare(file.content, oneByOne.get(file.path) ?? Buffer.alloc(0)), file.path).toBe(0);
  }, 120_000);

  it('keeps an ignored element whole when it holds an image or another Pagefind attribute, not one that holds only ignored elements', () => {
    const page = (inner: string) => `<main data-pagefind-body><p>正文</p><div class="x" data-pagefind-ignore>${inner}</div></main>`;
    for (const inner of ['<img src="a.png" alt="图">', '<span data-pagefind-meta="year">2021</span>']) expect(searchInput(page(inner))).toBe(page(inner));
    expect(searchInput(page('<table><tr><td>1</td></tr></table>'))).toBe('<main data-pagefind-body><p>正文</p><div class="x" data-pagefind-ignore></div></main>');
    // Ignored elements within an ignored one are emptied with it.
    expect(searchInput(page('<p>问题 1</p><p class="y" data-pagefind-ignore>规则</p>'))).toBe('<main data-pagefind-body><p>正文</p><div class="x" data-pagefind-ignore></div></main>');
  });

  it('leaves a page alone where the marker is text, or the ignored element never ends', () => {
    const asText = '<main data-pagefind-body><p>data-pagefind-ignore 是属性名</p><table><tr><td>1</td></tr></table></main>';
    expect(searchInput(asText)).toBe(asText);
    const unended = '<main data-pagefind-body><div data-pagefind-ignore><div>表</div></main>';
    expect(searchInput(unended)).toBe(unended);
  });
});
