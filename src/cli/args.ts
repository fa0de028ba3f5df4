/** Reading a command's arguments: a usage mistake is said in Chinese with the usage text, never as an internal error. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

const mistakes: Record<string, string> = {
  ERR_PARSE_ARGS_UNKNOWN_OPTION: '未知参数',
  ERR_PARSE_ARGS_INVALID_OPTION_VALUE: '参数缺少值或值不合用法',
  ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL: '多余的参数',
};

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const named = /'([^']+)'/.exec(error instanceof Error ? error.message : '')?.[1];
  const kind = mistakes[code] ?? '参数有误';
  return named ? `${kind}：${named}` : kind;
}

export function readArgs<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> | null {
  try {
    return parseArgs(config);
  } catch (error) {
    process.stderr.write(`${describe(error)}\n${usage.trimEnd()}\n`);
    return null;
  }
}
