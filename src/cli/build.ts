/** `nianbao build [--content DIR] [--out DIR] [--allow-errors] [--base-url URL]`: content to a static site. */
import { build, defaultBaseUrl } from '../site/build.js';
import { SiteWriteError } from '../site/write.js';
import { readArgs } from './args.js';
import type { Command } from './main.js';
import { formatHuman } from './report-format.js';

const usage =
  '用法：nianbao build [--content 目录] [--out 目录] [--allow-errors] [--base-url 网址] [--cache 目录 | --no-cache] [--workers 数量]\n' +
  '  --cache    构建缓存目录（默认 .nianbao-cache，不得在输出目录内），--no-cache 不保留缓存（构建期间在输出目录旁暂存，结束即删除）\n' +
  '  --workers  读取年报的工作线程数、渲染页面的线程数（主线程与其余工作线程）和同时建立搜索索引的 Pagefind 进程数（默认每个处理器核心一个）\n';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} 秒`;
}

export const buildCommand: Command = {
  name: 'build',
  summary: '读取并检查 content/，生成静态网站到 dist/',
  async run(args) {
    const parsed = readArgs(
      {
        args,
        options: {
          content: { type: 'string', default: 'content' },
          out: { type: 'string', default: 'dist' },
          'allow-errors': { type: 'boolean', default: false },
          'base-url': { type: 'string', default: defaultBaseUrl },
          cache: { type: 'string', default: '.nianbao-cache' },
          'no-cache': { type: 'boolean', default: false },
          workers: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      },
      usage,
    );
    if (!parsed) return 2;
    const { values } = parsed;
    if (values.help) {
      process.stdout.write(usage);
      return 0;
    }
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) {
      process.stderr.write(`--workers 应为正整数：${values.workers}\n${usage}`);
      return 2;
    }
    process.stderr.write(`nianbao build：正在读取并检查 ${values.content} ……\n`);
    let result;
    try {
      result = await build({
        content: values.content,
        out: values.out,
        allowErrors: values['allow-errors'],
        baseUrl: values['base-url'],
        cache: values['no-cache'] ? undefined : values.cache,
        workers,
      });
    } catch (error) {
      if (error instanceof SiteWriteError) {
        process.stderr.write(`nianbao build：${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const counts = `${result.errors} 个错误，${result.warnings} 个警告，${result.infos} 个提示，${result.accepted} 个已接受`;
    if (!result.written) {
      // The same report as `nianbao check CONTENT`, so with the files as check names them.
      const asChecked = (file: string) => `${values.content.replace(/\/+$/, '')}/${file}`;
      const findings = [...result.failures, ...result.findings]
        .map((f) => ({ ...f, file: asChecked(f.file) }))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
      const files = [...new Set([...result.reports.map((r) => asChecked(r.file)), ...findings.map((f) => f.file)])].sort();
      const standing = findings.filter((f) => f.severity === 'error' && f.accepted === undefined);
      process.stderr.write(formatHuman(findings, files));
      process.stderr.write(
        `未生成网站：${standing.length} 个错误未作为例外接受，${values.out}/ 保持原样。` +
          `可在 <年份>.accept.yaml 中记录例外及理由，或加 --allow-errors 照样生成并在页面上显示这些错误。\n`,
      );
      return 1;
    }
    process.stdout.write(
      `已生成 ${values.out}/：${result.reportCount} 份年报，${result.pages} 个页面，${result.files} 个文件（${(result.bytes / 1024).toFixed(0)} KB，` +
        `${result.rewritten === result.files ? '全部新写' : `${result.rewritten} 个有变化而重写，其余未变`}），` +
        `检查结果 ${counts}${result.failures.length ? `，${result.failures.length} 个文件未能读取` : ''}，用时 ${seconds(result.milliseconds)}\n`,
    );
    return result.errors > 0 ? 1 : 0;
  },
};
