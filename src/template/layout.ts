/**
 * The national report template as data (FORMAT.md). Everything that needs to
 * know the rows, columns, labels or keys of a table — the zod schemas, label
 * matching, rules, templates, CSV — derives from the definitions here.
 */

export type TemplateId = '2021' | '2019' | 'pre-2019' | 'unknown';

export interface SectionDef {
  id: SectionId;
  /** Canonical title as printed in the 2021 template. */
  title: string;
  numeral: string;
  /** Keywords one of which the heading carries after its numeral (normalised text). */
  keywords: readonly string[];
  kind: 'prose' | 'table';
}

export const sections = [
  { id: 'overview', title: '一、总体情况', numeral: '一', keywords: ['总体情况', '概述', '基本情况'], kind: 'prose' },
  { id: 'active', title: '二、主动公开政府信息情况', numeral: '二', keywords: ['主动公开'], kind: 'table' },
  { id: 'requests', title: '三、收到和处理政府信息公开申请情况', numeral: '三', keywords: ['收到和处理', '依申请公开', '收到处理'], kind: 'table' },
  { id: 'review', title: '四、政府信息公开行政复议、行政诉讼情况', numeral: '四', keywords: ['行政复议', '行政法复议', '复议', '行政诉讼'], kind: 'table' },
  { id: 'problems', title: '五、存在的主要问题及改进情况', numeral: '五', keywords: ['问题', '改进'], kind: 'prose' },
  { id: 'other', title: '六、其他需要报告的事项', numeral: '六', keywords: ['其他需要报告', '其他事项', '其他'], kind: 'prose' },
] as const satisfies readonly SectionDef[];

export type SectionId = 'overview' | 'active' | 'requests' | 'review' | 'problems' | 'other';
export const sectionIds = sections.map((s) => s.id) as SectionId[];

/** A value column or row with its printed label and the variants seen in real reports. */
export interface LabelDef<K extends string = string> {
  key: K;
  label: string;
  variants?: readonly string[];
}

// ---------------------------------------------------------------- table 二

export type CellKind = 'count' | 'signedCount' | 'decimal';

export interface ActiveRowDef {
  key: string;
  /** 第二十条第（N）项 block the row sits in. */
  block: string;
  label: string;
  variants?: readonly string[];
  columns: readonly (LabelDef & { kind: CellKind })[];
}

const stockColumns2021 = [
  { key: 'issued', label: '本年制发件数', kind: 'count' },
  { key: 'repealed', label: '本年废止件数', kind: 'count' },
  { key: 'inForce', label: '现行有效件数', kind: 'count' },
] as const;

const decisionsColumn2021 = [{ key: 'decisions', label: '本年处理决定数量', kind: 'count' }] as const;

export const activeRows2021 = [
  { key: 'regulations', block: '（一）', label: '规章', columns: stockColumns2021 },
  { key: 'normativeDocuments', block: '（一）', label: '行政规范性文件', variants: ['规范性文件'], columns: stockColumns2021 },
  { key: 'licensing', block: '（五）', label: '行政许可', columns: decisionsColumn2021 },
  { key: 'penalties', block: '（六）', label: '行政处罚', columns: decisionsColumn2021 },
  { key: 'coercion', block: '（六）', label: '行政强制', columns: decisionsColumn2021 },
  {
    key: 'fees',
    block: '（八）',
    label: '行政事业性收费',
    columns: [{ key: 'amount', label: '本年收费金额（单位：万元）', kind: 'decimal' }],
  },
] as const satisfies readonly ActiveRowDef[];

const stockColumns2019 = [
  { key: 'made', label: '本年新制作数量', kind: 'count' },
  { key: 'published', label: '本年新公开数量', kind: 'count' },
  { key: 'total', label: '对外公开总数量', kind: 'count' },
] as const;

const itemColumns2019 = [
  { key: 'previous', label: '上一年项目数量', kind: 'count' },
  { key: 'change', label: '本年增/减', kind: 'signedCount' },
  { key: 'decisions', label: '处理决定数量', kind: 'count' },
] as const;

export const activeRows2019 = [
  { key: 'regulations', block: '（一）', label: '规章', columns: stockColumns2019 },
  { key: 'normativeDocuments', block: '（一）', label: '规范性文件', variants: ['行政规范性文件'], columns: stockColumns2019 },
  { key: 'licensing', block: '（五）', label: '行政许可', columns: itemColumns2019 },
  { key: 'otherServices', block: '（五）', label: '其他对外管理服务事项', columns: itemColumns2019 },
  { key: 'penalties', block: '（六）', label: '行政处罚', columns: itemColumns2019 },
  { key: 'coercion', block: '（六）', label: '行政强制', columns: itemColumns2019 },
  {
    key: 'fees',
    block: '（八）',
    label: '行政事业性收费',
    columns: [
      { key: 'previous', label: '上一年项目数量', kind: 'count' },
      { key: 'change', label: '本年增/减', kind: 'signedCount' },
    ],
  },
  {
    key: 'procurement',
    block: '（九）',
    label: '政府集中采购',
    columns: [
      { key: 'projects', label: '采购项目数量', kind: 'count' },
      { key: 'amount', label: '采购总金额', kind: 'decimal' },
    ],
  },
] as const satisfies readonly ActiveRowDef[];

// ---------------------------------------------------------------- table 三

export const requestColumns = [
  { key: 'naturalPerson', label: '自然人' },
  { key: 'commercial', label: '商业企业' },
  { key: 'research', label: '科研机构' },
  { key: 'socialWelfare', label: '社会公益组织' },
  { key: 'legalService', label: '法律服务机构' },
  { key: 'other', label: '其他' },
  { key: 'total', label: '总计' },
] as const satisfies readonly LabelDef[];

export type RequestColumnKey = (typeof requestColumns)[number]['key'];
export const requestColumnKeys = requestColumns.map((c) => c.key) as RequestColumnKey[];
/** The six applicant columns whose sum is 总计. */
export const applicantColumnKeys = requestColumnKeys.slice(0, 6);

export interface RequestRowDef {
  key: string;
  /** The group heading the row sits under, e.g. （三）不予公开. */
  group?: string;
  /** The row's own label (item label inside a group). */
  label: string;
  variants?: readonly string[];
  /** Role of the row in the printed and structural relations. */
  role: 'input' | 'result' | 'total' | 'output';
}

const requestRowsCommonHead = [
  { key: 'newReceived', label: '一、本年新收政府信息公开申请数量', role: 'input' },
  { key: 'carriedOver', label: '二、上年结转政府信息公开申请数量', role: 'input' },
  { key: 'granted', group: '三、本年度办理结果', label: '（一）予以公开', role: 'result' },
  {
    key: 'partiallyGranted',
    label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    variants: ['（二）部分公开'],
    role: 'result',
  },
  { key: 'denied.stateSecret', group: '（三）不予公开', label: '1.属于国家秘密', role: 'result' },
  {
    key: 'denied.lawProhibited',
    group: '（三）不予公开',
    label: '2.其他法律行政法规禁止公开',
    variants: ['2.其他法律行政止公开', '2.其他法律、行政法规禁止公开'],
    role: 'result',
  },
  {
    key: 'denied.threeSafetiesOneStability',
    group: '（三）不予公开',
    label: '3.危及“三安全一稳定”',
    variants: ['3.危及三安全一稳定', '3.危及"三安全一稳定"'],
    role: 'result',
  },
  { key: 'denied.thirdPartyRights', group: '（三）不予公开', label: '4.保护第三方合法权益', role: 'result' },
  { key: 'denied.internalAffairs', group: '（三）不予公开', label: '5.属于三类内部事务信息', role: 'result' },
  { key: 'denied.processInformation', group: '（三）不予公开', label: '6.属于四类过程性信息', role: 'result' },
  { key: 'denied.enforcementCaseFile', group: '（三）不予公开', label: '7.属于行政执法案卷', role: 'result' },
  { key: 'denied.administrativeQuery', group: '（三）不予公开', label: '8.属于行政查询事项', role: 'result' },
  { key: 'unavailable.notHeld', group: '（四）无法提供', label: '1.本机关不掌握相关政府信息', role: 'result' },
  { key: 'unavailable.needsCreation', group: '（四）无法提供', label: '2.没有现成信息需要另行制作', role: 'result' },
  {
    key: 'unavailable.unclearAfterCorrection',
    group: '（四）无法提供',
    label: '3.补正后申请内容仍不明确',
    role: 'result',
  },
  { key: 'notProcessed.petitionOrComplaint', group: '（五）不予处理', label: '1.信访举报投诉类申请', role: 'result' },
  { key: 'notProcessed.repeated', group: '（五）不予处理', label: '2.重复申请', role: 'result' },
  { key: 'notProcessed.publication', group: '（五）不予处理', label: '3.要求提供公开出版物', role: 'result' },
  { key: 'notProcessed.excessive', group: '（五）不予处理', label: '4.无正当理由大量反复申请', role: 'result' },
  {
    key: 'notProcessed.confirmation',
    group: '（五）不予处理',
    label: '5.要求行政机关确认或重新出具已获取信息',
    role: 'result',
  },
] as const satisfies readonly RequestRowDef[];

const requestRowsCommonTail = [
  { key: 'totalProcessed', label: '（七）总计', role: 'total' },
  { key: 'carriedForward', label: '四、结转下年度继续办理', role: 'output' },
] as const satisfies readonly RequestRowDef[];

export const requestRows2021 = [
  ...requestRowsCommonHead,
  {
    key: 'otherHandling.overdueCorrection',
    group: '（六）其他处理',
    label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    variants: ['1.申请人无正当理由逾期不补正'],
    role: 'result',
  },
  {
    key: 'otherHandling.overdueFee',
    group: '（六）其他处理',
    label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    variants: ['2.申请人逾期未按收费通知要求缴纳费用'],
    role: 'result',
  },
  { key: 'otherHandling.other', group: '（六）其他处理', label: '3.其他', role: 'result' },
  ...requestRowsCommonTail,
] as const satisfies readonly RequestRowDef[];

export const requestRows2019 = [
  ...requestRowsCommonHead,
  { key: 'otherHandling', label: '（六）其他处理', role: 'result' },
  ...requestRowsCommonTail,
] as const satisfies readonly RequestRowDef[];

/** The printed note in table 三's top-left header cell. */
export const requestsBalanceNote = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

// ---------------------------------------------------------------- table 四

export const reviewGroups = [
  { key: 'reconsideration', label: '行政复议', parent: null },
  { key: 'litigationDirect', label: '未经复议直接起诉', parent: '行政诉讼' },
  { key: 'litigationAfterReconsideration', label: '复议后起诉', parent: '行政诉讼' },
] as const;

export const reviewColumns = [
  { key: 'upheld', label: '结果维持' },
  { key: 'corrected', label: '结果纠正' },
  { key: 'other', label: '其他结果' },
  { key: 'pending', label: '尚未审结' },
  { key: 'total', label: '总计' },
] as const satisfies readonly LabelDef[];

/** A table-四 group's full name: 行政诉讼·复议后起诉, 行政复议. */
export function reviewGroupLabel(group: (typeof reviewGroups)[number]): string {
  return group.parent ? `${group.parent}·${group.label}` : group.label;
}

// ---------------------------------------------------------------- templates

export interface TableLayout {
  id: '2021' | '2019';
  activeRows: readonly ActiveRowDef[];
  requestRows: readonly RequestRowDef[];
}

export const layouts: Record<'2021' | '2019', TableLayout> = {
  '2021': { id: '2021', activeRows: activeRows2021, requestRows: requestRows2021 },
  '2019': { id: '2019', activeRows: activeRows2019, requestRows: requestRows2019 },
};

/** The template a report of this year should follow (FORMAT.md §7). */
export function expectedTemplate(year: number): TemplateId {
  if (year >= 2021) return '2021';
  if (year >= 2019) return '2019';
  return 'pre-2019';
}
