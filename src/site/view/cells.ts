/**
 * A cell as a page shows it: numbers as published, every absence in words
 * (never as 0), and the findings that concern it as numbered links.
 */
import type { CellKind } from '../../template/layout.js';
import type { Cell } from '../../template/model.js';
import { oneLine } from './text.js';

export interface Marker {
  /** Text of the link, e.g. 见问题 3. */
  label: string;
  href: string;
  /** Extra class: error, warning, info or accepted (the words say the same). */
  className: string;
}

export interface CellView {
  text: string;
  /** `num` for figures (right-aligned), `num absent` for stated or detected absences. */
  className: string;
  markers: Marker[];
}

/**
 * The words for a cell that holds no figure; `brief` leaves out the published
 * text and candidates (for summary tables that link to the report).
 */
export function absenceWords(cell: Cell | undefined, brief = false): string {
  if (!cell) return '缺失';
  const published = oneLine(cell.text);
  switch (cell.state) {
    case 'number':
      return '';
    case 'blank':
      return '空白';
    case 'slash':
    case 'dash':
    case 'none':
      return `填“${published}”`;
    case 'unread':
      return published && !brief ? `未能读取（原文“${published}”）` : '未能读取';
    case 'ambiguous':
      return cell.candidates && cell.candidates.length > 0 && !brief
        ? `有歧义：可能为 ${cell.candidates.join(' 或 ')}`
        : '有歧义';
  }
}

/** The figure as published: counts as integers, decimals and signed counts with their printed text. */
export function figureText(cell: Cell & { value: number }, kind: CellKind): string {
  if (kind === 'count') return String(cell.value);
  const printed = oneLine(cell.text);
  return printed === '' ? String(cell.value) : printed;
}

export function cellView(cell: Cell | undefined, kind: CellKind, markers: Marker[]): CellView {
  if (cell && cell.state === 'number' && cell.value !== null) {
    return { text: figureText(cell as Cell & { value: number }, kind), className: 'num', markers };
  }
  return { text: absenceWords(cell), className: 'num absent', markers };
}
