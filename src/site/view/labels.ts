/**
 * Names of cells and headers in words, derived from the template data in
 * src/template/layout.ts. The only labels defined here are the spanning
 * headers the layout data does not carry.
 */
import {
  activeRows2019,
  activeRows2021,
  requestColumns,
  requestRows2019,
  requestRows2021,
  reviewColumns,
  reviewGroups,
  sections,
  reviewGroupLabel,
} from '../../template/layout.js';

/** Spanning headers of table 三 (FORMAT.md §3). */
export const applicantHeader = '申请人情况';
export const organisationHeader = '法人或其他组织';
/** Header of the first column of each block of table 二. */
export const activeContentHeader = '信息内容';

export function activeBlockLabel(block: string): string {
  return `第二十条第${block}项`;
}

export function sectionTitle(id: string): string {
  return sections.find((s) => s.id === id)?.title ?? id;
}

function requestRowLabel(key: string): string | undefined {
  const row = [...requestRows2021, ...requestRows2019].find((r) => r.key === key);
  if (!row) return undefined;
  return 'group' in row && row.group && !row.label.startsWith('（') ? `${row.group}${row.label}` : row.label;
}

/** `requests.newReceived.total` → 三、…：一、本年新收政府信息公开申请数量 × 总计. */
export function cellLabel(ref: string): string {
  const [table, row = '', ...rest] = ref.split('.');
  const column = rest.join('.');
  if (table === 'requests') {
    // Row keys may themselves hold a dot (denied.stateSecret).
    const parts = ref.split('.');
    const col = parts.at(-1) ?? '';
    const rowKey = parts.slice(1, -1).join('.');
    const colLabel = requestColumns.find((c) => c.key === col)?.label;
    const rowLabel = requestRowLabel(rowKey);
    if (colLabel && rowLabel) return `表三 ${rowLabel} × ${colLabel}`;
  }
  if (table === 'review') {
    const group = reviewGroups.find((g) => g.key === row);
    const col = reviewColumns.find((c) => c.key === column)?.label;
    if (group && col) return `表四 ${reviewGroupLabel(group)} × ${col}`;
  }
  if (table === 'active') {
    for (const def of [...activeRows2021, ...activeRows2019]) {
      const col = def.key === row ? def.columns.find((c) => c.key === column) : undefined;
      if (col) return `表二 ${def.label} × ${col.label}`;
    }
  }
  return ref;
}
