/**
 * Runs every rule over the reports checked together and returns one list of
 * findings: the reading messages of each report (minus those a rule's finding
 * makes redundant), each rule's findings, accepted exceptions applied, and
 * exceptions that match nothing reported as `accept-unused`.
 */
import type { Acceptance, Message, Report } from '../template/model.js';
import { withPairsOf } from './bodies.js';
import { withCellIndex } from './cells.js';
import { fingerprintOf, identityOf } from './fingerprint.js';
import { rules } from './index.js';
import { inFileOrder } from './finding-order.js';
import type { Finding, Rule } from './types.js';

export { rules };
export type { Finding, Rule };

const reportRules = rules.filter((r) => r.scope === 'report');
const collectionRules = rules.filter((r) => r.scope === 'collection');
const supersededBy = new Map<string, string[]>();
for (const rule of rules) for (const id of rule.supersedes ?? []) supersededBy.set(id, [...(supersededBy.get(id) ?? []), rule.id]);

/**
 * A message as a finding, built field by field: messages come in several
 * shapes (each rule writes its own), and spreading them was the costliest
 * step of checking once the rules were quick.
 */
function toFinding(message: Message, file: string, identity: string): Finding {
  const finding: Finding = {
    ruleId: message.ruleId,
    severity: message.severity,
    message: message.message,
    line: message.line,
    column: message.column,
    file,
    fingerprint: fingerprintOf(identity, message),
  };
  if (message.cells !== undefined) finding.cells = message.cells;
  if (message.accepted !== undefined) finding.accepted = message.accepted;
  return finding;
}

function matches(acceptance: Acceptance, message: Message): boolean {
  if (acceptance.ruleId !== message.ruleId) return false;
  if (!acceptance.cells || acceptance.cells.length === 0) return true;
  const cells = message.cells ?? [];
  return acceptance.cells.every((c) => cells.includes(c));
}

/**
 * A report's findings that the other reports checked with it do not
 * change: one for each message of its reading and of its own rules, each
 * with the exception it matched, if any (when the report has exceptions).
 * Check makes them as each report comes in from the workers
 * (content/check-run.ts), while it waits on the rest: made once all were
 * in, they held up the output, the more so as their code was not compiled
 * yet by then.
 */
export interface StandaloneFindings {
  reading: MatchedFindings;
  own: MatchedFindings;
}

interface MatchedFindings {
  findings: Finding[];
  /** By place in `findings`; empty when the report has no exceptions. */
  acceptances: (Acceptance | undefined)[];
}

/** The report's StandaloneFindings, `own` being its own rules' messages (reportRuleMessages); its accepted exceptions must be all in. */
export function standaloneFindings(report: Report, own: readonly Message[], identity = identityOf(report)): StandaloneFindings {
  return { reading: matchedFindings(report.messages, report, identity), own: matchedFindings(own, report, identity) };
}

function matchedFindings(messages: readonly Message[], report: Report, identity: string): MatchedFindings {
  const findings: Finding[] = [];
  const acceptances: (Acceptance | undefined)[] = [];
  for (const message of messages) {
    const finding = toFinding(message, report.file, identity);
    if (report.accepted.length > 0) {
      const acceptance = report.accepted.find((a) => matches(a, message));
      if (acceptance) finding.accepted = acceptance.reason;
      acceptances.push(acceptance);
    }
    findings.push(finding);
  }
  return { findings, acceptances };
}

/** The findings of the rules that look at one report alone (computed where the report is read, and cached with it). */
export function reportRuleMessages(report: Report): Message[] {
  return withCellIndex(report, () => {
    const messages: Message[] = [];
    for (const rule of reportRules) messages.push(...rule.check(report));
    return messages;
  });
}

/**
 * `perReport` holds reportRuleMessages for reports whose messages were
 * computed already (in a worker, or taken from the cache), by file;
 * `standalone` the StandaloneFindings of reports that have them already;
 * `given` the messages of some rules across reports (by rule id, then by
 * file) as a check of more reports found them: those rules are not run (a
 * rebuild checks again only the bodies a change touched, site/check-memo.ts).
 */
export function checkReports(
  reports: Report[],
  perReport?: ReadonlyMap<string, Message[]>,
  standalone?: ReadonlyMap<Report, StandaloneFindings>,
  given?: ReadonlyMap<string, ReadonlyMap<string, readonly Message[]>>,
): Finding[] {
  // A list of this call's own: what the rules work out once per list (bodies.ts, aggregate.ts) lasts one check.
  const together: readonly Report[] = [...reports];
  const acrossReports = new Map<string, Message[]>();
  // Identities worked out while the cross-report rules' body keys are at hand.
  const identities = withPairsOf(together, () => {
    for (const rule of collectionRules) {
      const found = given?.get(rule.id);
      const messages = found ? together.flatMap((r) => (found.get(r.file) ?? []).map((message) => ({ file: r.file, message }))) : rule.check(together);
      for (const { file, message } of messages) {
        const list = acrossReports.get(file);
        if (list) list.push(message);
        else acrossReports.set(file, [message]);
      }
    }
    return together.map(identityOf);
  });

  const byReport: Finding[][] = [];
  for (let index = 0; index < reports.length; index++) {
    const report = reports[index] as Report;
    const findings: Finding[] = [];
    byReport.push(findings);
    const identity = identities[index] as string;
    const { reading, own } =
      standalone?.get(report) ?? standaloneFindings(report, perReport?.get(report.file) ?? reportRuleMessages(report), identity);
    const across = acrossReports.get(report.file);
    const made = (id: string) => own.findings.some((r) => r.ruleId === id) || (across !== undefined && across.some((r) => r.ruleId === id));
    // The reading's findings (those no other finding makes redundant), then the report's own rules', then the cross-report rules'.
    const used = new Set<Acceptance>();
    for (let i = 0; i < reading.findings.length; i++) {
      const finding = reading.findings[i] as Finding;
      if (!(supersededBy.get(finding.ruleId) ?? []).some(made)) addMatched(findings, finding, reading.acceptances[i], used);
    }
    for (let i = 0; i < own.findings.length; i++) addMatched(findings, own.findings[i] as Finding, own.acceptances[i], used);
    if (across) addFindings(findings, across, report, identity, used);
    for (const acceptance of report.accepted) {
      if (used.has(acceptance)) continue;
      const cells = acceptance.cells ?? [];
      const message: Message = {
        ruleId: 'accept-unused',
        severity: 'warning',
        message: `已记录的例外（${acceptance.ruleId}${cells.length ? `：${cells.join('、')}` : ''}，理由：${acceptance.reason}）没有对应的检查结果，可删除或更正`,
        line: 1,
        column: 1,
        cells,
      };
      findings.push(toFinding(message, report.file, identity));
    }
  }
  return inFileOrder(
    reports.map((report) => report.file),
    byReport,
  );
}

function addMatched(findings: Finding[], finding: Finding, acceptance: Acceptance | undefined, used: Set<Acceptance>): void {
  if (acceptance) used.add(acceptance);
  findings.push(finding);
}

/** The messages as findings of the report, each matched against the report's accepted exceptions (those matched added to `used`). */
function addFindings(findings: Finding[], messages: readonly Message[], report: Report, identity: string, used: Set<Acceptance>): void {
  const matched = matchedFindings(messages, report, identity);
  for (let i = 0; i < matched.findings.length; i++) addMatched(findings, matched.findings[i] as Finding, matched.acceptances[i], used);
}
