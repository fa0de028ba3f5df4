/**
 * The static search index: Pagefind (its binary ships in the npm package,
 * and its extended build segments Chinese) indexes the rendered pages in
 * memory, so the index joins the rest of the output and is swapped in with
 * it. Only what the search page's script loads is kept (no Pagefind UI).
 * Pagefind's output depends only on the pages given, in the order given:
 * the pages are passed sorted, so rebuilds are byte-identical.
 */
import * as pagefind from 'pagefind';

export interface RenderedPage {
  path: string;
  content: string;
}

export const searchDir = 'pagefind/';

/** The files the search script needs: the loader, its worker and WebAssembly, and the index itself. */
function needed(path: string): boolean {
  return (
    path === 'pagefind.js' ||
    path === 'pagefind-worker.js' ||
    path === 'pagefind-entry.json' ||
    /^wasm\.[a-z-]+\.pagefind$/.test(path) ||
    /^pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta$/.test(path) ||
    /^(index|fragment|filter)\/[^/]+\.pf_(index|fragment|filter)$/.test(path)
  );
}

/**
 * Index the pages whose `<main>` carries `data-pagefind-body` (the layout
 * marks every page meant to be found). Fails with a Chinese message when
 * Pagefind cannot run, so that a build never ships a search page without an index.
 */
export async function searchIndex(pages: readonly RenderedPage[]): Promise<{ path: string; content: Buffer }[]> {
  const sorted = [...pages].filter((p) => p.path.endsWith('.html')).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  try {
    const created = await pagefind.createIndex({ forceLanguage: 'zh-cn' });
    const index = created.index;
    if (!index) throw new Error(created.errors.join('；'));
    for (const page of sorted) {
      const added = await index.addHTMLFile({ sourcePath: page.path, content: page.content });
      if (added.errors.length > 0) throw new Error(`${page.path}：${added.errors.join('；')}`);
    }
    const { files, errors } = await index.getFiles();
    if (errors.length > 0) throw new Error(errors.join('；'));
    await index.deleteIndex();
    return files
      .map((f) => ({ path: f.path.split('\\').join('/'), content: Buffer.from(f.content) }))
      .filter((f) => needed(f.path))
      .map((f) => ({ path: `${searchDir}${f.path}`, content: f.content }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  } catch (error) {
    throw new Error(`无法生成搜索索引（Pagefind）：${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await pagefind.close();
  }
}
