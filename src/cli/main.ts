/**
 * The `nianbao` command line. Each command's module is loaded only when it
 * runs, so that a call starts without loading what it does not use.
 */
export interface Command {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

const commands: CommandEntry[] = [
  { name: 'parse', summary: '读取一份年报，输出摘要或 JSON（--json）', load: async () => (await import('./parse.js')).parseCommand },
  { name: 'check', summary: '检查年报：表格勾稽关系、正文与表格、跨年衔接等规则', load: async () => (await import('./check.js')).checkCommand },
  { name: 'build', summary: '读取并检查 content/，生成静态网站到 dist/', load: async () => (await import('./build.js')).buildCommand },
  { name: 'preview', summary: '在本机浏览已生成的网站', load: async () => (await import('./preview.js')).previewCommand },
  { name: 'import', summary: '把 HTML、Word、PDF 等形式的年报转换为 Markdown 写作格式', load: async () => (await import('./import.js')).importCommand },
];

function usage(): string {
  const lines = commands.map((c) => `  nianbao ${c.name.padEnd(8)} ${c.summary}`);
  return ['用法：nianbao <命令> [参数]', '', '命令：', ...lines, '', '每个命令加 --help 查看参数。'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`未知命令：${name}\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await (await entry.load()).run(rest);
  } catch (error) {
    process.stderr.write(`nianbao ${name}：内部错误：${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}
