/** `nianbao parse FILE [--json]`: one report, as read. */
import { readFile } from 'node:fs/promises';
import { parseReport } from '../parse/index.js';
import { sections as sectionDefs } from '../template/layout.js';
import { tableCells, type Cell, type Report } from '../template/model.js';
import { readArgs } from './args.js';
import type { Command } from './main.js';

const templateNames: Record<Report['template'], string> = {
  '2021': '2021 年格式（国办公开办函〔2021〕30号）',
  '2019': '2019 年试行格式（国办公开办函〔2019〕60号）',
  'pre-2019': '2019 年以前格式（无全国统一表格，不作表格校验）',
  unknown: '未能识别格式',
};

function cellsNotRead(report: Report): { ref: string; cell: Cell }[] {
  return tableCells(report.tables).filter(({ cell }) => cell.state === 'unread' || cell.state === 'ambiguous');
}

export function summary(report: Report): string {
  const { meta } = report;
  const lines = [
    `文件：${report.file}（${report.form}）`,
    `格式：${templateNames[report.template]}`,
    `发布机构：${meta.agency ?? '未知'}　年度：${meta.year ?? '未知'}　发布日期：${meta.published ?? '未知'}`,
    `标题：${meta.title ?? '无'}`,
    `章节：${sectionDefs.map((d) => (report.sections.some((s) => s.id === d.id) ? `${d.numeral}✓` : `${d.numeral}✗`)).join(' ')}`,
  ];
  const tables = (['active', 'requests', 'review'] as const).map((t) => `${t}${report.tables[t] ? '✓' : '✗'}`);
  lines.push(`表格：${tables.join(' ')}`);
  const missing = cellsNotRead(report);
  if (missing.length > 0) {
    lines.push(`未读或有歧义的单元格（${missing.length}）：`);
    for (const { ref, cell } of missing) {
      const where = cell.position ? `${cell.position.line}:${cell.position.column}` : '-';
      const candidates = cell.candidates ? `，可能为 ${cell.candidates.join(' / ')}` : '';
      lines.push(`  ${where} ${ref} ${cell.state === 'ambiguous' ? '有歧义' : '未读'}${candidates}`);
    }
  }
  if (report.messages.length > 0) {
    lines.push(`消息（${report.messages.length}）：`);
    for (const m of report.messages) lines.push(`  ${m.line}:${m.column} ${m.severity} ${m.message} ${m.ruleId}`);
  }
  return lines.join('\n');
}

export const parseCommand: Command = {
  name: 'parse',
  summary: '读取一份年报，输出摘要或 JSON（--json）',
  async run(args) {
    const usage = '用法：nianbao parse 文件 [--json]';
    const parsed = readArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }, usage);
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    if (values.help || positionals.length !== 1) {
      process.stderr.write(`${usage}\n`);
      return values.help ? 0 : 2;
    }
    const file = positionals[0] as string;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      process.stderr.write(`${file}\n  1:1 error 无法读取文件：${(error as NodeJS.ErrnoException).code ?? error} read\n`);
      return 2;
    }
    const result = await parseReport(file, bytes);
    if (!result.ok) {
      process.stderr.write(`${file}\n  ${result.error.line}:${result.error.column} error ${result.error.message} ${result.error.ruleId}\n`);
      return 2;
    }
    // The schema (zod) is loaded only for JSON output: it takes longer to load than a report takes to read.
    if (values.json) process.stdout.write(JSON.stringify((await import('../template/schema.js')).toReportJson(result.report), null, 2) + '\n');
    else process.stdout.write(summary(result.report) + '\n');
    return 0;
  },
};
