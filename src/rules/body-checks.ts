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

export class BodyChecks {
  /** Of each body the layout gives, how many of its files are still to come, and its reports in so far. */
  private readonly bodies = new Map<string, { left: number; reports: Report[] }>();
  /** Files of the reports checked so far. */
  private readonly checked = new Set<string>();
  /** The messages found, by rule id, then by file: every rule within bodies is there, found anything or not. */
  private readonly found = new Map<string, Map<string, Message[]>>(withinBodyRules.map((rule) => [rule.id, new Map()]));

  /** `files`: every file listed for the check. */
  constructor(files: readonly string[]) {
    for (const file of files) {
      const key = pathBodyKey(file);
      if (key === null) continue;
      const body = this.bodies.get(key);
      if (body) body.left++;
      else this.bodies.set(key, { left: 1, reports: [] });
    }
  }

  /**
   * A listed file has come in: read as `report`, or null when it could not
   * be read. Its body is checked if it was the last of it to come: the
   * body's reports, then, else none.
   */
  arrived(file: string, report: Report | null): readonly Report[] {
    const key = pathBodyKey(file);
    const body = key === null ? undefined : this.bodies.get(key);
    if (key === null || body === undefined) return [];
    if (report) body.reports.push(report);
    if (--body.left > 0) return [];
    this.bodies.delete(key);
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
