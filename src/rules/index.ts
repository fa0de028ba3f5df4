/** Every rule of RULES.md, in the order of that file. */
import { requestsApplicantTotal } from './requests-applicant-total.js';
import { requestsBalance } from './requests-balance.js';
import { requestsResultsTotal } from './requests-results-total.js';
import { reviewTotal } from './review-total.js';
import type { Rule } from './types.js';

export const rules: Rule[] = [requestsBalance, requestsResultsTotal, requestsApplicantTotal, reviewTotal];
