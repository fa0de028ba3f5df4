/**
 * Where every page lives. Body names come from content folders and report
 * metadata, so they are turned into path segments that are safe (no `/`,
 * `..`, NUL or reserved names) and unique (a short hash of the original
 * name), and are percent-encoded in links.
 */
import { sha256Text } from '../hash.js';

function shortHash(text: string): string {
  return sha256Text(text).slice(0, 8);
}

/**
 * A stable, safe path segment for a name: its letters and digits, then a
 * hash of what identifies it (the name itself unless told otherwise).
 */
export function slug(name: string, identity: string = name): string {
  const readable = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  // Cut by code points so no surrogate pair is split.
  const cut = Array.from(readable).slice(0, 32).join('').replace(/-+$/, '');
  return cut ? `${cut}-${shortHash(identity)}` : `x-${shortHash(identity)}`;
}

/** A body's folder in the site, e.g. `bodies/x-1a2b3c4d/`. */
export function bodyDir(name: string, key: string): string {
  return `bodies/${slug(name, key)}/`;
}

/** The body folder a site path lies in (bodyDir), or undefined for a site-wide page. */
export function bodyDirOf(path: string): string | undefined {
  return /^bodies\/[^/]+\//.exec(path)?.[0];
}

/** The segment of a report inside its body's folder: its year, made unique by the file when needed. */
export function reportSegment(year: number | null, file: string, taken: Set<string>): string {
  const base = year === null ? 'unknown-year' : String(year);
  const segment = taken.has(base) ? `${base}-${shortHash(file)}` : base;
  taken.add(segment);
  return segment;
}

export function yearSegment(year: number | null): string {
  return year === null ? 'unknown-year' : String(year);
}

/** Site paths percent-encoded so far: each page links to a few dozen, most of them linked from thousands of pages. */
const encodedPaths = new Map<string, string>();

function encodedPath(to: string): string {
  let encoded = encodedPaths.get(to);
  if (encoded === undefined) {
    encoded = to
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/');
    if (encodedPaths.size >= 100_000) encodedPaths.clear();
    encodedPaths.set(to, encoded);
  }
  return encoded;
}

/** A site path (segments joined by `/`, ending in `/` for a folder page) as an href from a page at `from`. */
export function relativeHref(from: string, to: string): string {
  let depth = 0;
  for (let at = from.indexOf('/'); at >= 0; at = from.indexOf('/', at + 1)) depth++;
  return '../'.repeat(depth) + encodedPath(to) || './';
}

/** An href from the site root, for pages served at any address (404). */
export function rootHref(to: string): string {
  return (
    '/' +
    to
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/')
  );
}
