/** Every physical form nianbao reads, one adapter each. */
import type { Adapter } from './adapter.js';
import { cellLines } from './cell-lines.js';
import { convertedMarkdown } from './converted-markdown.js';
import { flatText } from './flat-text.js';
import { html } from './html.js';
import { markdown } from './markdown.js';
import { pdfLayout } from './pdf-layout.js';
import { pdfText } from './pdf-text.js';

/**
 * In the order they are asked (an adapter must beat the earlier ones outright). pdf-layout scores only 1, and only PDFs,
 * which flat-text never claims: it goes before flat-text, which, asked last, may leave its exact score unsettled.
 */
export const adapters: readonly Adapter[] = [cellLines, pdfText, html, markdown, convertedMarkdown, pdfLayout, flatText];
