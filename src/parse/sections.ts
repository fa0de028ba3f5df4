/**
 * Finding the six sections in running text. A section is recognised by its
 * numeral, its meaning (keywords) and its place in the sequence, so that a
 * sub-heading such as 一、主要工作开展情况 inside section 一 is not taken for
 * a new section, and headings run into prose (crawled text) are still found.
 */
import { sections as sectionDefs, type SectionId } from '../template/layout.js';

export interface SectionSpan {
  id: SectionId;
  title: string;
  /** Offset of the heading's first character. */
  headingStart: number;
  /** Offset just after the heading. */
  bodyStart: number;
  /** Offset where the next section's heading starts (or the text ends). */
  end: number;
}

const headingPatterns: Record<SectionId, RegExp> = {
  overview: /[一1][、.．]\s*(?:总体情况|概述|基本情况)/g,
  active: /二[、.．]\s*主动公开政府信息(?:的)?情况|二[、.．]\s*主动公开(?:情况)?/g,
  requests: /三[、.．]\s*(?:收到和处理政府信息公开申请(?:的)?情况|收到和处理|依申请公开(?:情况)?)/g,
  review: /四[、.．][^\d\n。]{0,14}?(?:行政复议|行政法复议)[^\d\n。]{0,16}?(?:情况|统计)/g,
  problems: /五[、.．][^\d\n。]{0,16}?(?:存在的?主要问题|存在问题|问题)[^\d\n。]{0,14}?(?:改进情况|改进措施|整改情况|改进)/g,
  other: /六[、.．]\s*其他需要报告的事项|六[、.．]\s*其他事项/g,
};

/** The heading text a match covers, trimmed to its end-of-title words. */
function headingAt(text: string, pattern: RegExp, from: number, before: number): RegExpExecArray | null {
  pattern.lastIndex = from;
  const match = pattern.exec(text);
  if (!match || match.index >= before) return null;
  return match;
}

/**
 * Finds each section heading in order, each after the previous one. A section
 * that cannot be found is skipped; the later ones are still searched for.
 */
export function findSections(text: string, from = 0): SectionSpan[] {
  const spans: SectionSpan[] = [];
  let cursor = from;
  for (const def of sectionDefs) {
    const match = headingAt(text, headingPatterns[def.id], cursor, text.length);
    if (!match) continue;
    spans.push({
      id: def.id,
      title: match[0].replace(/\s+/g, ''),
      headingStart: match.index,
      bodyStart: match.index + match[0].length,
      end: text.length,
    });
    cursor = match.index + match[0].length;
  }
  for (let i = 0; i < spans.length - 1; i++) {
    const span = spans[i];
    const next = spans[i + 1];
    if (span && next) span.end = next.headingStart;
  }
  return spans;
}
