/**
 * Loads the reports under the given files and folders: every report file is
 * parsed; a sidecar `<name>.accept.yaml` adds accepted exceptions; a file
 * that cannot be read becomes a positioned failure and the others go on.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fingerprint } from '../rules/fingerprint.js';
import type { Finding } from '../rules/types.js';
import type { Acceptance, Message, Report } from '../template/model.js';

export const reportExtensions = ['.md', '.markdown', '.txt', '.text', '.html', '.htm', '.docx', '.pdf'];
const ACCEPT_SUFFIX = '.accept.yaml';

function isReportFile(path: string): boolean {
  const lower = path.toLowerCase();
  return !lower.endsWith(ACCEPT_SUFFIX) && reportExtensions.some((ext) => lower.endsWith(ext));
}

function toForwardSlashes(path: string): string {
  return path.replace(/\\/g, '/');
}

export function failureFinding(file: string, message: Message): Finding {
  return { ...message, file, fingerprint: fingerprint(undefined, file, message) };
}

function unreadablePath(path: string, error: unknown): Finding {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return failureFinding(path, { ruleId: 'path-missing', severity: 'error', message: `无法读取路径（${code}）`, line: 1, column: 1 });
}

/**
 * Report files under a path, sorted by name; explicitly named files are
 * taken as they are. `entry` is what the folder listing said of the path:
 * plain files and folders need no further look (links are followed).
 * Listed synchronously: thousands of folders, each a round trip to the
 * thread pool, cost more than the listing itself.
 */
async function collect(path: string, explicit: boolean, files: string[], failures: Finding[], sidecars: SidecarsSeen, entry?: Dirent): Promise<void> {
  let isDirectory: boolean;
  if (entry && (entry.isFile() || entry.isDirectory())) isDirectory = entry.isDirectory();
  else {
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      failures.push(unreadablePath(path, error));
      return;
    }
  }
  if (isDirectory) {
    let listing: Dirent[];
    try {
      listing = readdirSync(path, { withFileTypes: true });
    } catch (error) {
      failures.push(unreadablePath(path, error));
      return;
    }
    const entries = listing
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const folder = path.replace(/\/+$/, '');
    sidecars.set(folder, sidecarNamesIn(listing));
    for (const e of entries) await collect(`${folder}/${e.name}`, false, files, failures, sidecars, e);
  } else if (explicit ? !path.toLowerCase().endsWith(ACCEPT_SUFFIX) : isReportFile(path)) {
    files.push(path);
  }
}

/**
 * The names of the sidecars a folder listing shows, by folder; null for a
 * folder where the file system may match a sidecar's name in another case
 * (a name differing only in case was listed), so that only asking it can tell.
 */
type SidecarsSeen = Map<string, Set<string> | null>;

function sidecarNamesIn(listing: readonly Dirent[]): Set<string> | null {
  const names = new Set<string>();
  for (const e of listing) {
    if (e.name.endsWith(ACCEPT_SUFFIX)) names.add(e.name);
    else if (e.name.toLowerCase().endsWith(ACCEPT_SUFFIX)) return null;
  }
  return names;
}

/** `2024.txt` → `2024.accept.yaml` */
export function sidecarPath(file: string): string {
  return file.replace(/\.[^./\\]+$/, '') + ACCEPT_SUFFIX;
}

/** Accepted exceptions from a sidecar file: a list of `{ rule, cells?, reason }`. */
export async function parseAcceptances(text: string): Promise<{ accepted: Acceptance[]; errors: Message[] }> {
  // Loaded with the first sidecar: most content has none, and the YAML parser takes a while to load.
  const { parse: parseYaml, YAMLParseError } = await import('yaml');
  const accepted: Acceptance[] = [];
  const errors: Message[] = [];
  const fail = (message: string, line = 1, column = 1) =>
    errors.push({ ruleId: 'accept-invalid', severity: 'error', message, line, column });
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    const pos = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
    fail(`例外记录不是有效的 YAML：${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, pos?.line, pos?.col);
    return { accepted, errors };
  }
  if (data === null || data === undefined) return { accepted, errors };
  if (!Array.isArray(data)) {
    fail('例外记录应为列表，每项包含 rule、reason，可选 cells');
    return { accepted, errors };
  }
  data.forEach((entry: unknown, i) => {
    const item = entry as { rule?: unknown; cells?: unknown; reason?: unknown } | null;
    const cells = item?.cells;
    const validCells = cells === undefined || (Array.isArray(cells) && cells.every((c) => typeof c === 'string'));
    if (!item || typeof item.rule !== 'string' || typeof item.reason !== 'string' || item.reason.trim() === '' || !validCells) {
      fail(`第 ${i + 1} 项例外记录应包含 rule（规则编号）、reason（理由），cells 可选且为单元格编号列表`);
      return;
    }
    accepted.push({ ruleId: item.rule, reason: item.reason, ...(cells ? { cells: cells as string[] } : {}) });
  });
  return { accepted, errors };
}

export async function readSidecar(file: string): Promise<{ accepted: Acceptance[]; failures: Finding[] } | null> {
  const path = sidecarPath(file);
  // Most reports have none: asking first costs less than a failed read.
  if (!statSync(path, { throwIfNoEntry: false })) return null;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const { accepted, errors } = await parseAcceptances(text);
  return { accepted, failures: errors.map((m) => failureFinding(path, m)) };
}

/**
 * The report files under the given files and folders, in the order they are
 * loaded; paths that cannot be read become failures. `mayHaveSidecar` says
 * whether a listed file's sidecar may exist: false only when its folder's
 * listing showed none, which spares asking the file system once per report.
 */
export async function listReportFiles(paths: string[]): Promise<{ files: string[]; failures: Finding[]; mayHaveSidecar(file: string): boolean }> {
  const files: string[] = [];
  const failures: Finding[] = [];
  const sidecars: SidecarsSeen = new Map();
  for (const path of paths) await collect(toForwardSlashes(path), true, files, failures, sidecars);
  const mayHaveSidecar = (file: string) => {
    const sidecar = sidecarPath(file);
    const slash = sidecar.lastIndexOf('/');
    const names = slash < 0 ? null : sidecars.get(sidecar.slice(0, slash));
    return !names || names.has(sidecar.slice(slash + 1));
  };
  return { files, failures, mayHaveSidecar };
}

/** One report file with its sidecar's accepted exceptions: the report, or why it could not be read. */
export async function loadReport(file: string): Promise<{ report: Report | null; failures: Finding[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { report: null, failures: [failureFinding(file, { ruleId: 'read', severity: 'error', message: `无法读取文件（${code}）`, line: 1, column: 1 })] };
  }
  const { parseReport } = await import('../parse/index.js');
  const result = await parseReport(file, bytes);
  if (!result.ok) return { report: null, failures: [failureFinding(file, result.error)] };
  const sidecar = await readSidecar(file);
  if (!sidecar) return { report: result.report, failures: [] };
  result.report.accepted = [...result.report.accepted, ...sidecar.accepted];
  return { report: result.report, failures: sidecar.failures };
}

export async function loadContent(paths: string[]): Promise<{ reports: Report[]; failures: Finding[] }> {
  const { files, failures } = await listReportFiles(paths);
  const reports: Report[] = [];
  for (const file of files) {
    const loaded = await loadReport(file);
    if (loaded.report) reports.push(loaded.report);
    failures.push(...loaded.failures);
  }
  return { reports, failures };
}
