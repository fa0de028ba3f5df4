/** A report changed the way an evaluator's correction changes it, for tests of what a changed figure remakes. */
import { totalColumnIndex } from '../../src/rules/cells.js';
import type { Report } from '../../src/template/model.js';

/** A copy of the report with its figure of requests received (table 三's total column) one more. */
export function refigured(report: Report): Report {
  const changed = structuredClone(report);
  const cell = changed.tables.requests?.newReceived?.[totalColumnIndex];
  if (!cell || cell.state !== 'number' || cell.value === null) throw new Error(`${report.file}: no figure of requests received`);
  changed.tables.requests!.newReceived![totalColumnIndex] = { ...cell, value: cell.value + 1, text: String(cell.value + 1) };
  return changed;
}
