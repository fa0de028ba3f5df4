/**
 * `nianbao import FILE… [--out content/] [--force]`: writes each report, read
 * from whatever form it came in, as a Markdown file in nianbao's authoring
 * form at `<out>/<body>/<year>.md`, for people to review and keep.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseReport } from '../parse/index.js';
import { tableCells, type Report } from '../template/model.js';
import { toAuthoringMarkdown } from '../write/markdown.js';
import { readArgs } from './args.js';
import type { Command } from './main.js';

const MAX_SEGMENT = 60;

/**
 * A name as one safe path segment: no separators, NUL, control or reserved
 * characters, not `.` or `..`; a long name is cut and made unique with a hash.
 */
export function safeSegment(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f/\\<>:"|?*]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const chars = Array.from(cleaned);
  if (chars.length === 0) return `_${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8)}`;
  if (chars.length <= MAX_SEGMENT) return cleaned;
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);
  return `${chars.slice(0, MAX_SEGMENT - 9).join('')}-${hash}`;
}

/** Where a report goes: its body's folder and its year (or, without a year, the source file's name). */
export function importTarget(out: string, report: Report, file: string): string {
  const body = safeSegment(report.meta.agency ?? '未知机构');
  const name = report.meta.year !== null ? String(report.meta.year) : safeSegment(basename(file, extname(file)));
  return join(out, body, `${name}.md`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function unreadCount(report: Report): number {
  return tableCells(report.tables).filter(({ cell }) => cell.state === 'unread' || cell.state === 'ambiguous').length;
}

export const importCommand: Command = {
  name: 'import',
  summary: '把 HTML、Word、PDF 等形式的年报转换为 Markdown 写作格式',
  async run(args) {
    const parsed = readArgs(
      {
        args,
        allowPositionals: true,
        options: { out: { type: 'string', default: 'content' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      },
      '用法：nianbao import 文件… [--out content/] [--force]',
    );
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    if (values.help || positionals.length === 0) {
      process.stderr.write('用法：nianbao import 文件… [--out content/] [--force]\n');
      return values.help ? 0 : 2;
    }
    const out = values.out ?? 'content';
    let status = 0;
    for (const file of positionals) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (error) {
        process.stderr.write(`${file}\n  1:1 error 无法读取文件：${(error as NodeJS.ErrnoException).code ?? error} read\n`);
        status = 1;
        continue;
      }
      const result = await parseReport(file, bytes);
      if (!result.ok) {
        process.stderr.write(`${file}\n  ${result.error.line}:${result.error.column} error ${result.error.message} ${result.error.ruleId}\n`);
        status = 1;
        continue;
      }
      const report = result.report;
      report.meta.source = basename(file);
      const target = importTarget(out, report, file);
      if (!values.force && (await exists(target))) {
        process.stderr.write(`${file}\n  目标文件 ${target} 已存在，未覆盖；如确需覆盖，请加 --force\n`);
        status = 1;
        continue;
      }
      await mkdir(join(target, '..'), { recursive: true });
      await writeFile(target, toAuthoringMarkdown(report), 'utf8');
      const unread = unreadCount(report);
      process.stdout.write(`${file} → ${target}${unread > 0 ? `（${unread} 个单元格未能确定读数，已列在前置元数据 unread 中，请核对）` : ''}\n`);
    }
    return status;
  },
};
