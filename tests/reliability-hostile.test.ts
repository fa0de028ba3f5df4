/**
 * The hostile-text matrix built into a site (tests/helpers/hostile-content.ts):
 * every page carries a CSP that forbids inline script, no page holds an
 * inline script, an event-handler attribute, a script or data URL, or a raw
 * bidi/control character, and the payloads are shown as the text they are.
 * tests/browser/hostile.test.ts opens the same site in Chromium.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { attack, hostileContent, payloads } from './helpers/hostile-content.js';
import { buildTo, documentOf, htmlPages, readSite } from './site-helpers.js';

let out: string;
let pages: { path: string; html: string }[];

beforeAll(async () => {
  ({ out } = await buildTo(hostileContent(), { allowErrors: true }));
  pages = htmlPages(out);
}, 120_000);

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'srcset', 'data'];

describe('hostile text matrix', () => {
  it('gives every page a CSP that forbids inline script', () => {
    expect(pages.length).toBeGreaterThan(8);
    for (const { path, html } of pages) {
      const csp = documentOf(html).querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1];
      expect(scriptSrc, `${path}: ${csp}`).toBeDefined();
      expect(scriptSrc, path).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*|data:|http/);
    }
  });

  it('leaves no script, handler, script URL or raw control character on any page', () => {
    for (const { path, html } of pages) {
      const doc = documentOf(html);
      for (const script of doc.querySelectorAll('script')) {
        // Only the site's own module scripts, by file, never inline.
        expect(script.textContent, path).toBe('');
        expect(script.getAttribute('src') ?? '', path).toMatch(/^(?:\.\.\/)*assets\/[\w./-]+\.js$/);
      }
      expect(doc.querySelectorAll('iframe, object, embed, base, style, img').length, path).toBe(0);
      for (const el of doc.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames()) {
          expect(attr.startsWith('on'), `${path}: <${el.tagName} ${attr}>`).toBe(false);
          expect(attr, path).not.toBe('style');
          if (URL_ATTRIBUTES.includes(attr)) expect(el.getAttribute(attr), `${path}: ${attr}`).not.toMatch(/^\s*(?:javascript|data|vbscript):/i);
        }
      }
      // Bidi overrides and C0 controls never reach the page as characters.
      expect(html, path).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
      // eta evaluated nothing: no template output where a tag stood.
      expect(html, path).not.toContain('[object Object]');
    }
  });

  it('shows the payloads as text in every field: body name, title, prose, table labels, cells, front matter', () => {
    const report = pages.find((p) => /^bodies\/[^/]+\/2024\/index\.html$/.test(p.path));
    expect(report, pages.map((p) => p.path).join('\n')).toBeDefined();
    const doc = documentOf(report?.html ?? '');
    const text = doc.body.textContent ?? '';
    const h1 = doc.querySelector('h1')?.textContent ?? '';
    expect(h1).toContain(`示例<script>console.log('PWNED');alert(1)</script>`);
    expect(doc.title).toContain('<script>');
    for (const payload of ['<script>alert(8)</script>', '<%= it %>', '<%~ it.body %>', `<img src=x onerror="console.log('PWNED')">`, '<style>body{display:none}</style>']) {
      expect(text, payload).toContain(payload);
    }
    // The cell's text is shown in its table; the labels that carry the attack are named in the findings.
    const tables = [...doc.querySelectorAll('table')].map((t) => t.textContent ?? '').join('\n');
    expect(tables).toContain('<script>alert(8)</script>');
    expect(text).toContain(`（一）予以公开<img src=x onerror="console.log('PWNED')">`);
    // Bidi controls are shown as visible code points.
    expect(text).toContain('[U+202E]');
    // The folder's event handler is text in the breadcrumbs or body list.
    const home = pages.find((p) => p.path === 'index.html');
    expect(documentOf(home?.html ?? '').body.textContent).toContain('<b onmouseover=alert(7)>');
  });

  it('keeps every payload out of the file names', () => {
    for (const path of readSite(out).keys()) {
      expect(path, path).not.toMatch(/[<>"'%\\\0\u202e]/);
      expect(path.split('/'), path).not.toContain('..');
    }
    expect(attack.length).toBeGreaterThan(100);
    expect(payloads.length).toBeGreaterThan(10);
  });
});
