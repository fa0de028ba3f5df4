/** Every rule of RULES.md, in the order of that file. */
import { aggregate } from './aggregate.js';
import { carryOver } from './carry-over.js';
import { cellMissing } from './cell-missing.js';
import { cellValue } from './cell-value.js';
import { deadline } from './deadline.js';
import { feeNotice } from './fee-notice.js';
import { feeStatement } from './fee-statement.js';
import { issuedWithinStock } from './issued-within-stock.js';
import { legacyFormat } from './legacy-format.js';
import { otherHandlingShare } from './other-handling-share.js';
import { overviewLength } from './overview-length.js';
import { proseTable } from './prose-table.js';
import { repeatedText } from './repeated-text.js';
import { requestsApplicantTotal } from './requests-applicant-total.js';
import { requestsBalance } from './requests-balance.js';
import { requestsResultsTotal } from './requests-results-total.js';
import { reviewTotal } from './review-total.js';
import { sectionsRule } from './sections.js';
import { statisticsPeriod } from './statistics-period.js';
import { stockFlow } from './stock-flow.js';
import { templateYear } from './template-year.js';
import { yearJump } from './year-jump.js';
import type { Rule } from './types.js';

export const rules: Rule[] = [
  requestsBalance,
  requestsResultsTotal,
  requestsApplicantTotal,
  reviewTotal,
  cellValue,
  cellMissing,
  sectionsRule,
  issuedWithinStock,
  proseTable,
  feeStatement,
  feeNotice,
  templateYear,
  legacyFormat,
  statisticsPeriod,
  overviewLength,
  otherHandlingShare,
  carryOver,
  stockFlow,
  repeatedText,
  yearJump,
  aggregate,
  deadline,
];
