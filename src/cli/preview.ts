/** `nianbao preview [--out DIR] [--port N]`: serves the built site on localhost for browsing. */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { readArgs } from './args.js';
import type { Command } from './main.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a URL path names inside the site, or null (outside the site, or nothing there). */
export function resolveRequest(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]?.split('#')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const target = resolve(root, `.${decoded}`);
  const rel = relative(root, target);
  if (rel.split(sep).includes('..')) return null;
  try {
    const info = statSync(target);
    if (info.isDirectory()) {
      const index = join(target, 'index.html');
      return statSync(index).isFile() ? index : null;
    }
    return info.isFile() ? target : null;
  } catch {
    return null;
  }
}

const securityPolicy =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Serves a built site: folder pages with a trailing slash, the site's 404 page for anything else. */
export async function startServer(root: string, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const file = resolveRequest(root, url);
    // Folder pages are linked with a trailing slash; add it so their relative links resolve.
    if (file && file.endsWith(`${sep}index.html`) && !path.endsWith('/') && !path.endsWith('index.html')) {
      response.writeHead(301, { Location: `${path}/` });
      response.end();
      return;
    }
    const found = file ?? resolveRequest(root, '/404.html');
    if (!found) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('404 找不到页面\n');
      return;
    }
    response.writeHead(file ? 200 : 404, {
      'Content-Type': types[extname(found)] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': securityPolicy,
    });
    createReadStream(found).pipe(response);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  return server;
}

export const previewCommand: Command = {
  name: 'preview',
  summary: '在本机浏览已生成的网站（默认 http://localhost:4173/）',
  async run(args) {
    const usage = '用法：nianbao preview [--out 目录] [--port 端口] [--host 地址]';
    const parsed = readArgs(
      {
        args,
        options: {
          out: { type: 'string', default: 'dist' },
          port: { type: 'string', default: '4173' },
          host: { type: 'string', default: '127.0.0.1' },
          help: { type: 'boolean', short: 'h' },
        },
      },
      usage,
    );
    if (!parsed) return 2;
    const { values } = parsed;
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    const server = await startServer(resolve(values.out), Number(values.port), values.host);
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : Number(values.port);
    process.stdout.write(`正在预览 ${values.out}/：http://${values.host === '127.0.0.1' ? 'localhost' : values.host}:${actualPort}/（按 Ctrl+C 结束）\n`);
    await new Promise<void>((done) => {
      const stop = () => server.close(() => done());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
