/** Every physical form nianbao reads, one adapter each. */
import type { Adapter } from './adapter.js';
import { cellLines } from './cell-lines.js';

export const adapters: readonly Adapter[] = [cellLines];
