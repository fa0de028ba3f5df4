/**
 * Findings as a report page lists them: numbered in page order, placed under
 * the table whose cells they name, each in words (severity, message, rule,
 * place in the source, acceptance) rather than by colour alone.
 */
import { compareFindings } from '../../rules/finding-order.js';
import type { Finding } from '../../rules/types.js';
import type { Severity } from '../../template/model.js';
import type { Marker } from './cells.js';
import { cellLabel } from './labels.js';
import { oneLine } from './text.js';

export type TableId = 'active' | 'requests' | 'review';
const tableOrder: (TableId | null)[] = ['active', 'requests', 'review', null];

export const severityWords: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };

export interface FindingView {
  n: number;
  anchor: string;
  severity: Severity;
  severityText: string;
  /** 已接受 with the reason when the publisher accepted it. */
  accepted: string | null;
  message: string;
  ruleId: string;
  ruleHref: string | null;
  place: string;
  cells: string[];
  className: string;
}

export interface NumberedFinding {
  finding: Finding;
  view: FindingView;
  table: TableId | null;
}

function tableOf(finding: Finding): TableId | null {
  for (const ref of finding.cells ?? []) {
    const table = ref.split('.')[0];
    if (table === 'active' || table === 'requests' || table === 'review') return table;
  }
  return null;
}

/** Numbers a report's findings in the order the page shows them. */
export function numberFindings(
  findings: Finding[],
  ruleHref: (ruleId: string) => string | null,
  prefix = '',
): NumberedFinding[] {
  const sorted = [...findings].sort(
    (a, b) => tableOrder.indexOf(tableOf(a)) - tableOrder.indexOf(tableOf(b)) || compareFindings(a, b),
  );
  return sorted.map((finding, i) => {
    const n = i + 1;
    return {
      finding,
      table: tableOf(finding),
      view: {
        n,
        anchor: `${prefix}finding-${n}`,
        severity: finding.severity,
        severityText: severityWords[finding.severity],
        accepted: finding.accepted ? oneLine(finding.accepted) : null,
        message: oneLine(finding.message),
        ruleId: oneLine(finding.ruleId),
        ruleHref: ruleHref(finding.ruleId),
        place: finding.line > 0 ? `第 ${finding.line} 行第 ${finding.column} 列` : '',
        cells: (finding.cells ?? []).map(cellLabel),
        className: finding.accepted ? 'accepted' : finding.severity,
      },
    };
  });
}

/** Each cell's markers by its reference, made once per numbered list (a page asks for several hundred cells). */
const markersByRef = new WeakMap<NumberedFinding[], Map<string, Marker[]>>();

/** The markers of the findings that name a cell, in the findings' order. */
export function markersFor(ref: string, numbered: NumberedFinding[]): Marker[] {
  let byRef = markersByRef.get(numbered);
  if (!byRef) {
    byRef = new Map();
    for (const { finding, view } of numbered) {
      // A finding naming a cell twice still marks it once.
      for (const named of new Set(finding.cells ?? [])) {
        const marker = { label: `见问题 ${view.n}`, href: `#${view.anchor}`, className: view.className };
        const markers = byRef.get(named);
        if (markers) markers.push(marker);
        else byRef.set(named, [marker]);
      }
    }
    markersByRef.set(numbered, byRef);
  }
  return byRef.get(ref) ?? [];
}
