/** The view data of one report's page (and of the reports shown on rule pages). */
import type { Finding } from '../../rules/types.js';
import { layouts, sections as sectionDefs, type SectionId, type TemplateId } from '../../template/layout.js';
import type { Report } from '../../template/model.js';
import { proseToHtml } from '../prose-plain.js';
import { numberFindings, type FindingView, type NumberedFinding, type TableId } from './findings.js';
import { activeTable, requestsTable, reviewTable, type TableView } from './tables.js';
import { oneLine } from './text.js';

export const templateWords: Record<TemplateId, string> = {
  '2021': '2021 年格式（国办公开办函〔2021〕30号）',
  '2019': '2019 年试行格式（国办公开办函〔2019〕60号）',
  'pre-2019': '2019 年以前格式（无全国统一表格，不作表格校验）',
  unknown: '未能识别格式',
};

export interface SectionView {
  id: string;
  heading: string;
  /** The title as the report prints it, when it differs from the canonical one. */
  printedTitle: string | null;
  html: string;
  table: TableView | null;
  findings: FindingView[];
  /** True when the report has no such section. */
  absent: boolean;
}

export interface ReportBodyView {
  sections: SectionView[];
  /** Findings that name no cell of a table shown on the page. */
  generalFindings: FindingView[];
  numbered: NumberedFinding[];
}

/** Sections and tables of a report with its findings placed beside the cells they name. */
export function reportBody(
  report: Report,
  findings: Finding[],
  ruleHref: (ruleId: string) => string | null,
  prefix = '',
): ReportBodyView {
  const numbered = numberFindings(findings, ruleHref, prefix);
  const layout = report.template === '2021' || report.template === '2019' ? layouts[report.template] : null;
  const tables: Record<TableId, TableView | null> = {
    active: layout ? activeTable(report, layout, numbered, prefix) : null,
    requests: layout ? requestsTable(report, layout, numbered, prefix) : null,
    review: layout ? reviewTable(report, numbered, prefix) : null,
  };
  const placed = (n: NumberedFinding) => n.table !== null && tables[n.table] !== null;
  const generalFindings = numbered.filter((n) => !placed(n)).map((n) => n.view);

  if (!layout) {
    // Reports without a national table: their text as one block, in order.
    const sections = report.sections.map((section, i) => ({
      id: `${prefix}text-${i + 1}`,
      heading: oneLine(section.title) || '全文',
      printedTitle: null,
      html: proseToHtml(section.text, `${prefix}text-${i + 1}-`, oneLine(section.title) || '全文'),
      table: null,
      findings: [],
      absent: false,
    }));
    return { sections, generalFindings, numbered };
  }

  const sections = sectionDefs.map((def): SectionView => {
    const found = report.sections.filter((s) => s.id === def.id);
    const printed = found.map((s) => oneLine(s.title)).filter((t) => t !== '' && t !== def.title);
    const text = found.map((s) => s.text).join('\n\n');
    const table = def.kind === 'table' ? tables[def.id as TableId] : null;
    return {
      id: `${prefix}section-${def.id}`,
      heading: def.title,
      printedTitle: printed.length > 0 ? printed.join('；') : null,
      html: text.trim() === '' ? '' : proseToHtml(text, `${prefix}${def.id}-`, def.title),
      table,
      findings: table ? numbered.filter((n) => n.table === (def.id as SectionId)).map((n) => n.view) : [],
      absent: found.length === 0 && table === null,
    };
  });
  return { sections, generalFindings, numbered };
}
