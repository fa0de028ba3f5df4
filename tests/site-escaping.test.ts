/**
 * Hostile text in a report — in the body's folder name, the front matter, the
 * prose of a Markdown report and of a crawled text report — is rendered as
 * inert text: no script, no event handler, no javascript:/data: link, no image
 * that would fetch from elsewhere, eta's own tags printed as typed.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleReport } from '../src/rules/example-builder.js';
import { isSafeUrl } from '../src/site/prose.js';
import { slug } from '../src/site/view/urls.js';
import { corpusFile } from './helpers/corpus.js';
import { buildTo, documentOf, htmlPages, makeContent, readSite } from './site-helpers.js';

const hostileAgency = '示例<script>alert(1)</script>局';
// A folder name cannot hold "/", so the folder carries an event handler instead.
const hostileFolder = '示例<b onmouseover=alert(1)>局';
const attack =
  '正文<script>alert(1)</script><img src=x onerror=alert(2)>[点我](javascript:alert(3)) [又点](JaVaScRiPt:alert(4)) ' +
  '[数据](data:text/html,<b>x</b>) <%= it %> <%~ it.body %> ![图](http://example.com/x.png) <style>body{display:none}</style>\u202e反转' +
  // Markdown that makes ids and alignment: footnotes in two sections, an aligned table.
  ' 脚注[^1]\n\n[^1]: 注释\n\n# 小标题\n\n| 项 | 数 |\n|:-|-:|\n| 甲 | 1 |\n';

let out: string;
let pages: { path: string; html: string }[];

beforeAll(async () => {
  const seed = readFileSync(corpusFile('000'), 'utf8').split('\n');
  seed[1] = `${seed[1]}${attack}`;
  const content = makeContent(
    {},
    {
      [`${hostileFolder}/2024.md`]: exampleReport({ agency: hostileAgency, overview: attack, other: `未收取信息处理费。${attack}` }),
      '桐柏县应急管理局<img src=x onerror=alert(9)>/2022.txt': seed.join('\n'),
    },
  );
  ({ out } = await buildTo(content, { allowErrors: true }));
  pages = htmlPages(out);
});

describe('hostile text', () => {
  it('runs nothing and fetches nothing on any page', () => {
    expect(pages.length).toBeGreaterThan(5);
    for (const { path, html } of pages) {
      const doc = documentOf(html);
      // The search page's own module and search form are the only script and form of the site.
      const own = path === 'search/index.html' ? ['SCRIPT:../assets/search.js', 'FORM:./'] : [];
      const active = [...doc.querySelectorAll('script, style, iframe, object, embed, img, base, form')];
      expect(active.map((el) => `${el.tagName}:${el.getAttribute('src') ?? el.getAttribute('action')}`), path).toEqual(own);
      for (const el of doc.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames()) {
          expect(attr.startsWith('on'), `${path}: ${el.tagName} ${attr}`).toBe(false);
          expect(attr, path).not.toBe('style');
        }
      }
      for (const a of doc.querySelectorAll('a[href]')) {
        expect(a.getAttribute('href'), path).not.toMatch(/^\s*(javascript|data|vbscript):/i);
      }
      // Valid HTML even so: unique ids, every reference resolves, no presentational attributes.
      const ids = [...doc.querySelectorAll('[id]')].map((el) => el.id);
      expect(ids.length - new Set(ids).size, `${path}: duplicate ids`).toBe(0);
      for (const el of doc.querySelectorAll('[aria-describedby], [aria-labelledby], [headers]')) {
        for (const attr of ['aria-describedby', 'aria-labelledby', 'headers']) {
          for (const id of (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean)) {
            expect(doc.getElementById(id), `${path}: ${attr} ${id}`).not.toBeNull();
          }
        }
      }
      expect(doc.querySelectorAll('[align]').length, path).toBe(0);
    }
  });

  it('shows the hostile text as text, eta tags as typed, and bidi controls as visible code points', () => {
    const reportPages = pages.filter((p) => /^bodies\/[^/]+\/(2024|2022)\/index\.html$/.test(p.path));
    expect(reportPages).toHaveLength(2);
    for (const { path, html } of reportPages) {
      const text = documentOf(html).body.textContent ?? '';
      expect(text, path).toContain('<script>alert(1)</script>');
      expect(text, path).toContain('<%= it %>');
      expect(text, path).toContain('<%~ it.body %>');
      expect(text, path).toContain('[U+202E]反转');
      expect(text, path).not.toContain('\u202e');
    }
    const md = reportPages.find((p) => p.path.includes('/2024/'));
    const doc = documentOf(md?.html ?? '');
    expect(doc.querySelector('h1')?.textContent).toContain(hostileAgency);
    expect(doc.querySelector('.breadcrumbs')?.textContent).toContain(hostileFolder);
    // The Markdown link text survives; the link does not.
    expect(doc.body.textContent).toContain('点我');
    expect(doc.body.textContent).toContain('［图片：图］');
  });

  it('keeps hostile body names out of paths: safe, unique folder names inside the site', () => {
    const paths = [...readSite(out).keys()];
    for (const path of paths) {
      expect(path, path).not.toMatch(/[<>"'\\\0]/);
      expect(path.split('/'), path).not.toContain('..');
    }
    expect(paths.some((p) => /^bodies\/示例-b-onmouseover-alert-1-局-[0-9a-f]{8}\/2024\/index\.html$/.test(p))).toBe(true);
  });
});

describe('slug', () => {
  it('never yields a separator, dot-dot or NUL, and differs for names that differ only in such characters', () => {
    const names = ['a/b', 'a-b', 'a\0b', '..', '../..', '.', 'CON', '', '局\u202e', '局'];
    const slugs = names.map((n) => slug(n));
    for (const s of slugs) {
      expect(s).toMatch(/^[\p{L}\p{N}-]+$/u);
      expect(s.length).toBeLessThan(60);
    }
    expect(new Set(slugs).size).toBe(names.length);
    expect(slug('x'.repeat(5000)).length).toBeLessThan(60);
  });
});

describe('link filter', () => {
  it('keeps web, mail and in-page links and drops script and data schemes, however spelled', () => {
    for (const url of ['https://www.gov.cn/', 'http://a.b/c', 'mailto:a@b.cn', '#x', 'a/b.html', '/x']) expect(isSafeUrl(url), url).toBe(true);
    for (const url of ['javascript:alert(1)', ' JavaScript:x', 'java\tscript:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd'])
      expect(isSafeUrl(url), url).toBe(false);
  });
});
