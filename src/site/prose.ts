/**
 * A report's prose (Markdown) to HTML: remark-parse → remark-gfm →
 * remark-rehype → rehype-stringify. Raw HTML is never passed through (no
 * allowDangerousHtml): it is shown as the text it is, so a report whose text
 * holds `<script>` shows those characters and runs nothing; `<br>` alone
 * becomes a line break. Links keep only safe schemes, images become their
 * alternative text (no request may leave the site), headings sit below the
 * section's own, and tables get a caption and a focusable scroll region.
 */
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit, SKIP } from 'unist-util-visit';
import { useMarkdown } from './prose-plain.js';

export { plainParagraphs, proseToHtml } from './prose-plain.js';

const SAFE_URL = /^(?:https?:|mailto:|#|\/(?!\/)|\.{0,2}\/?[^:]*$)/i;

/** Links to javascript:, data:, vbscript: and other schemes lose their href and keep their text. */
export function isSafeUrl(url: string): boolean {
  // Browsers ignore ASCII whitespace and controls inside a scheme ("java\tscript:").
  const squeezed = url.replace(/[\u0000-\u0020\u007f]+/g, '');
  return SAFE_URL.test(squeezed);
}

function remarkSafeMedia() {
  return (tree: MdastRoot) => {
    visit(tree, (node, index, parent) => {
      if (node.type === 'html' && parent && index !== undefined) {
        const lineBreak = /^<br\s*\/?>$/i.test(node.value.trim());
        parent.children.splice(index, 1, lineBreak ? { type: 'break' } : { type: 'text', value: node.value });
        return [SKIP, index + 1];
      }
      if ((node.type === 'image' || node.type === 'imageReference') && parent && index !== undefined) {
        const alt = node.alt ?? '';
        parent.children.splice(index, 1, { type: 'text', value: alt ? `［图片：${alt}］` : '［图片］' });
        return [SKIP, index];
      }
      if (node.type === 'link' && !isSafeUrl(node.url)) {
        if (parent && index !== undefined) {
          parent.children.splice(index, 1, ...node.children);
          return [SKIP, index];
        }
      }
      if (node.type === 'definition' && !isSafeUrl(node.url)) node.url = '';
      return undefined;
    });
  };
}

function text(value: string): ElementContent {
  return { type: 'text', value };
}

function rehypeSiteStructure(options: { prefix: string; label: string }) {
  return (tree: HastRoot) => {
    let tables = 0;
    visit(tree, 'element', (node: Element, index, parent) => {
      if (/^h[1-6]$/.test(node.tagName)) {
        // The page's h1 and the section's h2 are above; prose headings all sit at h3.
        node.tagName = 'h3';
      }
      // mdast-util-to-hast names every footnote label `footnote-label`; a page holds several blocks.
      if (node.properties?.id === 'footnote-label') node.properties.id = `${options.prefix}footnote-label`;
      if (Array.isArray(node.properties?.ariaDescribedBy)) {
        node.properties.ariaDescribedBy = node.properties.ariaDescribedBy.map((id) =>
          id === 'footnote-label' ? `${options.prefix}footnote-label` : id,
        );
      }
      if (node.tagName === 'a') {
        const href = node.properties?.href;
        if (typeof href === 'string' && !isSafeUrl(href)) delete node.properties.href;
      }
      if (node.tagName === 'table' && parent && index !== undefined) {
        tables++;
        const captionId = `${options.prefix}table-${tables}-caption`;
        node.children.unshift({
          type: 'element',
          tagName: 'caption',
          properties: { id: captionId },
          children: [text(`${options.label}中的表格 ${tables}`)],
        });
        const wrapper: Element = {
          type: 'element',
          tagName: 'div',
          properties: { className: ['table-scroll'], role: 'region', ariaLabelledBy: [captionId], tabIndex: 0 },
          children: [node],
        };
        parent.children.splice(index, 1, wrapper);
        // The table's own cells are still visited (their alignment below).
        return undefined;
      }
      if (node.tagName === 'th' || node.tagName === 'td') {
        // gfm alignment comes as inline style, which the page's CSP forbids; a class says the same.
        const align = node.properties?.align;
        if (align) {
          delete node.properties.align;
          node.properties.className = [`align-${String(align)}`];
        }
        if (node.tagName === 'th' && !node.properties.scope) node.properties.scope = 'col';
      }
      return undefined;
    });
  };
}

/** Any prose through unified; `text` has been through visibleProse. */
export function markdownToHtml(text: string, prefix: string, label: string): string {
  const file = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkSafeMedia)
    .use(remarkRehype, {
      clobberPrefix: `${prefix}`,
      footnoteLabel: '脚注',
      footnoteLabelTagName: 'h3',
      footnoteBackLabel: (referenceIndex: number) => `返回脚注引用 ${referenceIndex + 1}`,
    })
    .use(rehypeSiteStructure, { prefix, label })
    .use(rehypeStringify)
    .processSync(text);
  return String(file);
}

// Whoever loads this module can render any prose; report pages made without it load it only for prose that needs it.
useMarkdown(markdownToHtml);
