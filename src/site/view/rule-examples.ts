/**
 * A rule's passing and failing examples as the rule page shows them: each
 * example report is read like any other and its tables are rendered in the
 * official layout with the rule's own findings beside the cells. An example
 * that cannot be read is shown as its source text.
 */
import { parseSource, prepareSource } from '../../parse/index.js';
import { Source } from '../../read/source.js';
import type { Finding, Rule, RuleExample } from '../../rules/types.js';
import type { Message, Report } from '../../template/model.js';
import type { FindingView } from './findings.js';
import { reportBody } from './report.js';
import type { TableView } from './tables.js';
import { oneLine } from './text.js';

export interface ExampleView {
  id: string;
  kindText: string;
  title: string;
  markdown: string;
  tables: { table: TableView; findings: FindingView[] }[];
  generalFindings: FindingView[];
  /** Said when the example could not be read and only its text is shown. */
  unreadable: string | null;
}

/** Loads what reading the rules' examples needs (see Adapter.prepare): awaited before ruleExamples. */
export async function prepareRuleExamples(rules: readonly Rule[]): Promise<void> {
  for (const rule of rules) {
    for (const example of [...rule.examples.pass, ...rule.examples.fail]) {
      for (const markdown of [example.markdown, example.previous]) if (markdown !== undefined) await prepareSource(new Source('example.md', markdown));
    }
  }
}

function read(markdown: string, file: string): Report | null {
  try {
    const result = parseSource(new Source(file, markdown));
    return result.ok ? result.report : null;
  } catch {
    return null;
  }
}

function ruleMessages(rule: Rule, report: Report, previous: Report | null): Message[] {
  try {
    if (rule.scope === 'report') return rule.check(report);
    return rule
      .check(previous ? [previous, report] : [report])
      .filter((m) => m.file === report.file)
      .map((m) => m.message);
  } catch {
    return [];
  }
}

/** The tables an example shows: those whose cells the rule names in any of its examples. */
type TableKind = TableView['kind'];

/** An example read once, with the rule's messages on it: for the tables the rule names and for the example's own view. */
interface ReadExample {
  id: string;
  kind: 'pass' | 'fail';
  index: number;
  example: RuleExample;
  report: Report | null;
  messages: Message[];
}

function readExample(rule: Rule, example: RuleExample, kind: 'pass' | 'fail', index: number): ReadExample {
  const id = `example-${kind}-${index + 1}`;
  const report = read(example.markdown, `${id}.md`);
  const previous = report && example.previous ? read(example.previous, `${id}-previous.md`) : null;
  return { id, kind, index, example, report, messages: report ? ruleMessages(rule, report, previous) : [] };
}

function exampleView({ id, kind, index, example, report, messages }: ReadExample, shown: (table: TableKind) => boolean): ExampleView {
  const base = {
    id,
    kindText: kind === 'pass' ? '符合规则的例子' : '不符合规则的例子',
    title: oneLine(example.title),
    markdown: example.markdown,
  };
  if (!report || (report.template !== '2021' && report.template !== '2019')) {
    return { ...base, tables: [], generalFindings: [], unreadable: '此例未能按年报读取，下面只列出其原文。' };
  }
  const findings: Finding[] = messages.map((m) => ({
    ...m,
    file: report.file,
    fingerprint: '',
  }));
  const body = reportBody(report, findings, () => null, `${id}-`);
  // Several examples show the same table: their captions (and so their regions' names) must differ.
  const tables = body.sections.flatMap((s) =>
    s.table && shown(s.table.kind)
      ? [{ table: { ...s.table, caption: `${base.kindText}${index + 1}：${s.table.caption}` }, findings: s.findings }]
      : [],
  );
  return { ...base, tables, generalFindings: body.generalFindings, unreadable: null };
}

/** The tables whose cells the rule names in any of its examples. */
function tablesNamed(examples: readonly ReadExample[]): Set<string> {
  const named = new Set<string>();
  for (const { messages } of examples) for (const message of messages) for (const cell of message.cells ?? []) named.add(cell.split('.')[0] ?? '');
  return named;
}

export function ruleExamples(rule: Rule): ExampleView[] {
  const examples = [
    ...rule.examples.pass.map((e, i) => readExample(rule, e, 'pass', i)),
    ...rule.examples.fail.map((e, i) => readExample(rule, e, 'fail', i)),
  ];
  const named = tablesNamed(examples);
  return examples.map((example) => exampleView(example, (table) => named.has(table)));
}
