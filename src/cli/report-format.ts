/**
 * Findings as text: human (unified/vfile-reporter style, for stderr), JSON
 * (one object, for stdout) and GitHub Actions annotations.
 */
import type { Finding } from '../rules/types.js';
import { findingsByFile } from '../rules/finding-order.js';
import { countBySeverity } from '../rules/finding-counts.js';

export type Format = 'human' | 'json' | 'github';

const severityWords = { error: 'error', warning: 'warning', info: 'info' } as const;

/** `file`, then `  line:column  severity  message  rule-id` per finding, then one summary line. */
export function formatHuman(findings: readonly Finding[], files: readonly string[]): string {
  const lines: string[] = [];
  for (const [file, list] of findingsByFile(findings, files)) {
    lines.push(list.length === 0 ? `${file}: 无问题` : file);
    const place = list.map((f) => `${f.line}:${f.column}`);
    const width = Math.max(0, ...place.map((p) => p.length));
    list.forEach((f, i) => {
      const accepted = f.accepted !== undefined ? `（已接受：${f.accepted}）` : '';
      lines.push(`  ${(place[i] as string).padEnd(width)}  ${severityWords[f.severity].padEnd(7)}  ${f.message}${accepted}  ${f.ruleId}`);
    });
    lines.push('');
  }
  const { errors, warnings, infos, accepted } = countBySeverity(findings);
  lines.push(
    `${files.length} 份文件：${errors} 个错误，${warnings} 个警告，${infos} 条提示${accepted ? `，${accepted} 项已接受的例外` : ''}`,
  );
  return lines.join('\n') + '\n';
}

export function formatJson(findings: readonly Finding[]): string {
  const { errors, warnings } = countBySeverity(findings);
  const messages = findings.map((f) => ({
    file: f.file,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    line: f.line,
    column: f.column,
    cells: f.cells ?? [],
    fingerprint: f.fingerprint,
    ...(f.accepted !== undefined ? { accepted: f.accepted } : {}),
  }));
  return JSON.stringify({ messages, errors, warnings }, null, 2) + '\n';
}

/** Workflow-command escaping of GitHub Actions (data and property values); most texts need none, and are looked at once. */
function escapeData(text: string): string {
  if (!/[%\r\n]/.test(text)) return text;
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  if (!/[%\r\n:,]/.test(text)) return text;
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const githubCommands = { error: 'error', warning: 'warning', info: 'notice' } as const;

export function formatGithub(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      // An accepted finding does not fail the build, so it is a notice.
      const command = f.accepted !== undefined ? 'notice' : githubCommands[f.severity];
      const title = escapeProperty(`nianbao ${f.ruleId}`);
      const accepted = f.accepted !== undefined ? `（已接受：${f.accepted}）` : '';
      return `::${command} file=${escapeProperty(f.file)},line=${f.line},col=${f.column},title=${title}::${escapeData(f.message + accepted)}\n`;
    })
    .join('');
}
