/**
 * Runs every rule over the reports checked together and returns one list of
 * findings: the reading messages of each report (minus those a rule's finding
 * makes redundant), each rule's findings, accepted exceptions applied, and
 * exceptions that match nothing reported as `accept-unused`.
 */
import type { Acceptance, Message, Report } from '../template/model.js';
import { bodyKey, reportYear, withPairsOf } from './bodies.js';
import { layouts } from '../template/layout.js';
import { cellSlots, withCellIndex } from './cells.js';
import { rules } from './index.js';
import type { Finding, Rule } from './types.js';

export { rules };
export type { Finding, Rule };

const reportRules = rules.filter((r) => r.scope === 'report');
const collectionRules = rules.filter((r) => r.scope === 'collection');
const supersededBy = new Map<string, string[]>();
for (const rule of rules) for (const id of rule.supersedes ?? []) supersededBy.set(id, [...(supersededBy.get(id) ?? []), rule.id]);

/** Stable across runs and unrelated edits: rule, body and year, cells (no line numbers). */
export function fingerprint(report: Report | undefined, file: string, message: Message): string {
  return fingerprintOf(report ? identityOf(report) : file, message);
}

function identityOf(report: Report): string {
  return `${bodyKey(report)}@${reportYear(report) ?? ''}`;
}

function fingerprintOf(identity: string, message: Message): string {
  const hash = new Fingerprint().add(message.ruleId).add('\u0000').add(identity).add('\u0000');
  const cells = message.cells;
  if (!cells || cells.length === 0) return hash.add(message.message).hex();
  // The cells sorted and joined by commas, hashed piece by piece: no joined string is made.
  if (cells.length >= COUNTED_FROM && addCountedRefs(hash, cells)) return hash.hex();
  const places = cells.length < COUNTED_FROM ? sortedPlaces(cells) : null;
  if (places) {
    for (let i = 0; i < places.length; i++) {
      if (i > 0) hash.addCode(COMMA);
      hash.addRef(places[i] as number);
    }
    return hash.hex();
  }
  const sorted = isSorted(cells) ? cells : [...cells].sort();
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0) hash.addCode(COMMA);
    hash.add(sorted[i] as string);
  }
  return hash.hex();
}

const COMMA = 0x2c;

/** In the order Array.prototype.sort gives strings by default (UTF-16 code units). */
function isSorted(texts: readonly string[]): boolean {
  for (let i = 1; i < texts.length; i++) if ((texts[i - 1] as string) > (texts[i] as string)) return false;
  return true;
}

/** Every cell reference of the templates, sorted, and each one's place in that order. */
const sortedRefs = [...new Set(Object.values(layouts).flatMap((layout) => cellSlots(layout).map((slot) => slot.ref)))].sort();
const refPlaces = new Map(sortedRefs.map((ref, place) => [ref, place]));
/** The code units of those references one after another, and where each starts: a finding may name over a hundred cells, hashed from here. */
const refStarts = new Int32Array(sortedRefs.length + 1);
sortedRefs.forEach((ref, place) => (refStarts[place + 1] = (refStarts[place] as number) + ref.length));
const refCodes = new Uint16Array(refStarts[sortedRefs.length] as number);
sortedRefs.forEach((ref, place) => {
  for (let i = 0; i < ref.length; i++) refCodes[(refStarts[place] as number) + i] = ref.charCodeAt(i);
});

/**
 * The places of the cells in default sort order, or null when one is no
 * template cell: ordering places was much cheaper than comparing the references as strings.
 */
function sortedPlaces(cells: readonly string[]): Int32Array | null {
  const places = new Int32Array(cells.length);
  let inOrder = true;
  for (let i = 0; i < cells.length; i++) {
    const place = refPlaces.get(cells[i] as string);
    if (place === undefined) return null;
    places[i] = place;
    if (i > 0 && (places[i - 1] as number) > place) inOrder = false;
  }
  return inOrder ? places : places.sort();
}

/**
 * From this many cells on, a finding's references are put in order by
 * counting each place and reading the counts in order (a warning may name
 * over a hundred cells): sorting them cost more.
 */
const COUNTED_FROM = 32;
/** How often the finding being hashed names each place: kept between calls, every count back to 0 after each. */
const placeCounts = new Uint16Array(sortedRefs.length);

/**
 * The cells' references in default sort order, joined by commas, into the
 * hash; false, with nothing added, when one is no template cell.
 */
function addCountedRefs(hash: Fingerprint, cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    const place = refPlaces.get(cells[i] as string);
    if (place === undefined) {
      for (let k = 0; k < i; k++) placeCounts[refPlaces.get(cells[k] as string) as number] = 0;
      return false;
    }
    placeCounts[place] = (placeCounts[place] as number) + 1;
  }
  let first = true;
  for (let place = 0; place < placeCounts.length; place++) {
    for (let count = placeCounts[place] as number; count > 0; count--) {
      if (!first) hash.addCode(COMMA);
      hash.addRef(place);
      first = false;
    }
    placeCounts[place] = 0;
  }
  return true;
}

/** Each byte's two hex digits: number-to-string conversion was most of a fingerprint's cost. */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Two independent 32-bit FNV-1a hashes fed text piece by piece: 16 hex digits, cheap enough to run per finding. */
class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  add(text: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  addCode(code: number): this {
    this.a = Math.imul(this.a ^ code, 0x01000193);
    this.b = Math.imul(this.b ^ code, 0x5bd1e995) ^ (this.b >>> 15);
    return this;
  }

  /** A template cell reference by its place in sortedRefs, read from refCodes (faster than reading the string). */
  addRef(place: number): this {
    let a = this.a;
    let b = this.b;
    const end = refStarts[place + 1] as number;
    for (let i = refStarts[place] as number; i < end; i++) {
      const c = refCodes[i] as number;
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  hex(): string {
    const { a, b } = this;
    return (
      HEX_BYTES[a >>> 24]! + HEX_BYTES[(a >>> 16) & 0xff]! + HEX_BYTES[(a >>> 8) & 0xff]! + HEX_BYTES[a & 0xff]! +
      HEX_BYTES[b >>> 24]! + HEX_BYTES[(b >>> 16) & 0xff]! + HEX_BYTES[(b >>> 8) & 0xff]! + HEX_BYTES[b & 0xff]!
    );
  }
}

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
 * computed already (in a worker, or taken from the cache), by file.
 */
export function checkReports(reports: Report[], perReport?: ReadonlyMap<string, Message[]>): Finding[] {
  // A list of this call's own: what the rules work out once per list (bodies.ts, aggregate.ts) lasts one check.
  const together: readonly Report[] = [...reports];
  const acrossReports = new Map<string, Message[]>();
  // Identities worked out while the cross-report rules' body keys are at hand.
  const identities = withPairsOf(together, () => {
    for (const rule of collectionRules) {
      for (const { file, message } of rule.check(together)) {
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
    const own = perReport?.get(report.file) ?? reportRuleMessages(report);
    const across = acrossReports.get(report.file);
    const identity = identities[index] as string;
    const made = (id: string) => own.some((r) => r.ruleId === id) || (across !== undefined && across.some((r) => r.ruleId === id));
    const reading =
      report.messages.length === 0 ? report.messages : report.messages.filter((m) => !(supersededBy.get(m.ruleId) ?? []).some(made));
    // The reading messages, then the report's own rules', then the cross-report rules': three lists read in turn, not joined.
    const used = new Set<Acceptance>();
    addFindings(findings, reading, report, identity, used);
    addFindings(findings, own, report, identity, used);
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
  return inFileOrder(reports, byReport);
}

/** The messages as findings of the report, each matched against the report's accepted exceptions (those matched added to `used`). */
function addFindings(findings: Finding[], messages: readonly Message[], report: Report, identity: string, used: Set<Acceptance>): void {
  for (const message of messages) {
    const acceptance = report.accepted.length === 0 ? undefined : report.accepted.find((a) => matches(a, message));
    const finding = toFinding(message, report.file, identity);
    if (acceptance) {
      finding.accepted = acceptance.reason;
      used.add(acceptance);
    }
    findings.push(finding);
  }
}

const byPosition = (a: Finding, b: Finding) => a.line - b.line || a.column - b.column;
const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/**
 * The findings sorted by file, then line and column, keeping their order
 * otherwise (the sort is stable): when no two reports share a file, the
 * reports sorted by file and each one's findings by position give the same
 * order without comparing every finding's file name.
 */
function inFileOrder(reports: readonly Report[], byReport: Finding[][]): Finding[] {
  const order = reports.map((report, index) => ({ file: report.file, index })).sort(byFile);
  if (order.some((entry, k) => k > 0 && entry.file === order[k - 1]!.file))
    return byReport.flat().sort((a, b) => byFile(a, b) || byPosition(a, b));
  const findings: Finding[] = [];
  for (const { index } of order) for (const finding of byReport[index]!.sort(byPosition)) findings.push(finding);
  return findings;
}

/** Counts of findings that stand (accepted ones do not count). */
export function summarise(findings: readonly Finding[]): { errors: number; warnings: number; infos: number } {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.accepted !== undefined) continue;
    if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}
