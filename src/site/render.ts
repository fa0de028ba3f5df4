/**
 * Pages to HTML through the eta templates in `templates/`. Autoescaping is on:
 * every value from a report is escaped; only HTML the site made itself
 * (prose through remark → rehype, the chart, the layout's body) is inserted raw.
 */
import { Eta } from 'eta';
import { templatesDir } from './cache.js';
import type { Page } from './view/site.js';

export type Renderer = (page: Page) => string;

export function createRenderer(dir = templatesDir): Renderer {
  const eta = new Eta({ views: dir, autoEscape: true, cache: true, useWith: false });
  // Every include (one per table row) resolves its path again, keyed by a JSON string: resolved once per including file instead.
  const resolve = eta.resolvePath;
  if (resolve) {
    const resolved = new Map<string, string>();
    eta.resolvePath = function (template, options) {
      const key = `${options?.filepath ?? ''}\0${template}`;
      let path = resolved.get(key);
      if (path === undefined) {
        path = resolve.call(this, template, options);
        resolved.set(key, path);
      }
      return path;
    };
  }
  return (page) => eta.render(`./${page.kind}`, page.view);
}
