/**
 * The rules across reports that compare only a body's consecutive years
 * (CollectionRule.withinBody), run body by body while `nianbao check` is
 * still reading: a body laid out as `<body>/<year>.<ext>` is complete once
 * each of its listed files has come in, and the listing tells which those
 * are before any is read. Its reports' tables are then read by no other
 * rule but `aggregate`, so check lets them go while they are young, instead
 * of holding every view's tables to the end: at 10,000 reports those were
 * most of the objects its main thread kept, which its garbage collector
 * copied over and again (386 ms, then 243). What the rules find goes to
 * checkReports (run.ts) as given.
 */
import type { Message, Report } from '../template/model.js';
import { pathBodyKey, withPairsOf } from './bodies.js';
import { rules } from './index.js';
import type { CollectionRule } from './types.js';

const withinBodyRules = rules.filter((rule): rule is CollectionRule => rule.scope === 'collection' && rule.withinBody === true);

/** A body laid out by path: how many of its listed files are still to come, and its reports in so far. */
interface Body {
  left: number;
  reports: Report[];
}

export class BodyChecks {
  /** The body of each listed file laid out by path (files of one body share the record). */
  private readonly bodyOf = new Map<string, Body>();
  /** Files of the reports checked so far. */
  private readonly checked = new Set<string>();
  /** The messages found, by rule id, then by file: every rule within bodies is there, found anything or not. */
  private readonly found = new Map<string, Map<string, Message[]>>(withinBodyRules.map((rule) => [rule.id, new Map()]));

  /** `files`: every file listed for the check. */
  constructor(files: readonly string[]) {
    const byKey = new Map<string, Body>();
    for (const file of files) {
      const key = pathBodyKey(file);
      if (key === null) continue;
      let body = byKey.get(key);
      if (body) body.left++;
      else byKey.set(key, (body = { left: 1, reports: [] }));
      this.bodyOf.set(file, body);
    }
  }

  /**
   * A listed file has come in: read as `report`, or null when it could not
   * be read. Its body is checked if it was the last of it to come: the
   * body's reports, then, else none.
   */
  arrived(file: string, report: Report | null): readonly Report[] {
    const body = this.bodyOf.get(file);
    if (body === undefined) return [];
    if (report) body.reports.push(report);
    if (--body.left > 0) return [];
    this.check(body.reports);
    return body.reports;
  }

  /**
   * The messages of the rules within bodies for `reports`, by rule id and
   * file, as checkReports takes them given: those of reports not checked
   * yet (of bodies not laid out by path) are found now, over all of them.
   */
  given(reports: readonly Report[]): ReadonlyMap<string, ReadonlyMap<string, readonly Message[]>> {
    const rest = reports.filter((report) => !this.checked.has(report.file));
    if (rest.length > 0) this.check(rest);
    return this.found;
  }

  /** `reports` holds every report of each of its bodies. */
  private check(reports: readonly Report[]): void {
    withPairsOf(reports, () => {
      for (const rule of withinBodyRules) {
        const byFile = this.found.get(rule.id) as Map<string, Message[]>;
        for (const { file, message } of rule.check(reports)) {
          const list = byFile.get(file);
          if (list) list.push(message);
          else byFile.set(file, [message]);
        }
      }
    });
    for (const report of reports) this.checked.add(report.file);
  }
}
