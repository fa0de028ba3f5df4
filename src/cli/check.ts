/** `nianbao check [PATH…] [--format human|json|github] [--strict]` */
import { availableParallelism } from 'node:os';
import { CheckIndex } from '../content/check-index.js';
import { ViewReaders } from '../content/check-readers.js';
import { BuildCache, templatesDir, versionKey } from '../site/cache.js';
import { readArgs } from './args.js';
import type { Command } from './main.js';
import type { Format } from './report-format.js';

const USAGE = [
  '用法：nianbao check [路径…] [--format human|json|github] [--strict]',
  '  路径      年报文件或文件夹，默认 content/',
  '  --format  human（默认，输出到标准错误）、json（输出到标准输出）、github（GitHub Actions 注释）',
  '  --strict  有警告时也以失败退出',
  '退出码：0 无错误；1 有错误（--strict 时含警告）；2 用法错误或内部错误',
].join('\n');

const formats: readonly Format[] = ['human', 'json', 'github'];

export const checkCommand: Command = {
  name: 'check',
  summary: '检查年报：表格勾稽关系、正文与表格、跨年衔接等规则',
  async run(args) {
    const parsed = readArgs(
      {
        args,
        allowPositionals: true,
        options: { format: { type: 'string', default: 'human' }, strict: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      },
      USAGE,
    );
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    const format = values.format as Format;
    if (!formats.includes(format)) {
      process.stderr.write(`未知的输出格式：${values.format}\n${USAGE}\n`);
      return 2;
    }
    const paths = positionals.length > 0 ? positionals : ['content/'];
    const cache = BuildCache.open('.nianbao-cache', versionKey(templatesDir));
    // As many workers as a build's (site/pool.ts defaultWorkers).
    const readers = new ViewReaders(cache, availableParallelism());
    // Nothing kept for these paths: every file will be read, so the workers start while the rest of check loads and lists the files.
    const readsAll = !CheckIndex.keepsViews(cache, paths);
    if (readsAll) readers.start();
    let checked: Awaited<ReturnType<typeof import('../content/check-run.js').checkPaths>>;
    try {
      const { checkPaths } = await import('../content/check-run.js');
      checked = await checkPaths(paths, format, readers, cache, readsAll);
    } finally {
      // Not awaited: the output need not wait for the workers to stop.
      void readers.close();
    }
    const { output, errors, warnings, pathMissing } = checked.result;
    // Human output is for people at a terminal, beside the program's other messages; json and github are for programs.
    (format === 'human' ? process.stderr : process.stdout).write(output);
    checked.keep();
    // A path that does not exist is a usage error, not a finding about a report.
    if (pathMissing) return 2;
    return errors > 0 || (values.strict && warnings > 0) ? 1 : 0;
  },
};
