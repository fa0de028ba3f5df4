/** The `nianbao` command line: dispatches to one module per command. */
import { parseCommand } from './parse.js';

export interface Command {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

const commands: Command[] = [parseCommand];

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
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`未知命令：${name}\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    process.stderr.write(`nianbao ${name}：内部错误：${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}
