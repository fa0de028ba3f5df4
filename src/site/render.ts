/**
 * Pages to HTML through the eta templates in `templates/`. Autoescaping is on:
 * every value from a report is escaped; only HTML the site made itself
 * (prose through remark → rehype, the chart, the layout's body) is inserted raw.
 */
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Page } from './view/site.js';

/** `templates/` of the package, from src/site or lib/site alike. */
export const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));

export type Renderer = (page: Page) => string;

export function createRenderer(dir = templatesDir): Renderer {
  const eta = new Eta({ views: dir, autoEscape: true, cache: true, useWith: false });
  return (page) => eta.render(`./${page.kind}`, page.view);
}
