/**
 * An Atom feed (RFC 4287) of the reports, newest publication first. Only
 * reports whose publication date is known can be placed in that order and
 * carry the dates Atom requires, so the others are left out and the feed's
 * subtitle says how many. Dates come from the reports, never the clock, so
 * the feed is the same on every build of the same content.
 */
import { visibleText } from './view/text.js';

export interface FeedEntry {
  title: string;
  /** Absolute address of the report's page. */
  url: string;
  /** `YYYY-MM-DD` as the report states it. */
  published: string;
  body: string;
  summary: string;
}

/** XML 1.0 text: markup characters escaped, characters XML cannot hold replaced. */
function xmlText(text: string): string {
  return visibleText(text)
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day (a stated 2021-02-30 is not one, and Atom needs a valid date-time). */
function isDay(text: string): boolean {
  if (!DATE.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

export function atomFeed(input: { title: string; siteUrl: string; feedUrl: string; entries: FeedEntry[]; leftOut: number }): string {
  const dated = input.entries
    .filter((e) => isDay(e.published))
    .sort((a, b) => (a.published < b.published ? 1 : a.published > b.published ? -1 : a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const leftOut = input.leftOut + input.entries.length - dated.length;
  const stamp = (date: string) => `${date}T00:00:00Z`;
  const updated = dated[0] ? stamp(dated[0].published) : '1970-01-01T00:00:00Z';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    `  <title>${xmlText(input.title)}</title>`,
    `  <subtitle>${xmlText(`按发布日期排列的年报（最新在前）${leftOut > 0 ? `；另有 ${leftOut} 份发布日期未知，未列入` : ''}`)}</subtitle>`,
    `  <id>${xmlText(input.feedUrl)}</id>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(input.feedUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(input.siteUrl)}"/>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${xmlText(input.title)}</name></author>`,
  ];
  for (const entry of dated) {
    lines.push(
      '  <entry>',
      `    <title>${xmlText(entry.title)}</title>`,
      `    <id>${xmlText(entry.url)}</id>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(entry.url)}"/>`,
      `    <published>${stamp(entry.published)}</published>`,
      `    <updated>${stamp(entry.published)}</updated>`,
      `    <author><name>${xmlText(entry.body)}</name></author>`,
      `    <summary>${xmlText(entry.summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
