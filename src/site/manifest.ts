/**
 * The manifest of the site last written to an output folder (write.ts
 * SiteManifest) as the build cache keeps it: as a few binary files of one
 * cache entry (cache.ts putFiles) rather than one JSON text. At 10,000
 * reports the manifest lists 65,000 files and 20,000 parts; as JSON it was
 * 17 MB, and parsing and writing it a few hundred milliseconds of every
 * rebuild. Here each path is stored once (a part names its files by their
 * place in the list), hashes as bytes and numbers as float64s.
 */
import type { CachedFile } from './cache.js';
import { ManifestFiles } from './manifest-files.js';
import type { PackedFiles, SiteManifest } from './write.js';

/** Cache kind of the manifests. */
export const MANIFEST_KIND = 'site-manifest';

/** Separates the names of a list: no site path holds a NUL (write.ts refuses one). */
const SEPARATOR = '\0';

/** What the manifest holds besides its lists. */
interface Head {
  readings?: string;
  summary?: SiteManifest['summary'];
  pages?: number;
  files: number;
  /** Paths parts name that are not files of the manifest. */
  others: number;
  dirs: number;
  parts: number;
}

function joined(names: readonly string[]): Uint8Array {
  return Buffer.from(names.join(SEPARATOR));
}

/** `count` names joined by joined(); a list of none is empty, as is a list of one empty name. */
function split(bytes: Uint8Array, count: number): string[] {
  if (count === 0) return [];
  const names = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split(SEPARATOR);
  if (names.length !== count) throw new Error('manifest list of the wrong length');
  return names;
}

function float64s(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A file's bytes as float64s (copied: a cache entry's files need not be aligned). */
function asFloat64s(bytes: Uint8Array, count: number): Float64Array {
  if (bytes.byteLength !== count * 8) throw new Error('manifest numbers of the wrong length');
  const values = new Float64Array(count);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

/** The manifest as the files of one cache entry. */
export function encodeManifest(manifest: SiteManifest): CachedFile[] {
  const { files } = manifest;
  const others: string[] = [];
  const placeOfOther = new Map<string, number>();
  const partEntries = [...(manifest.parts ?? [])];
  // Per part, its count of files, then the place of each among the manifest's files and the others after them.
  const partFiles = new Float64Array(partEntries.reduce((sum, [, paths]) => sum + 1 + paths.length, 0));
  let at = 0;
  for (const [, partPaths] of partEntries) {
    partFiles[at++] = partPaths.length;
    for (const path of partPaths) {
      let place = files.placeOf(path) ?? placeOfOther.get(path);
      if (place === undefined) {
        place = files.size + others.length;
        placeOfOther.set(path, place);
        others.push(path);
      }
      partFiles[at++] = place;
    }
  }
  const dirs = [...(manifest.dirs ?? [])];
  const head: Head = {
    readings: manifest.readings,
    summary: manifest.summary,
    pages: manifest.pages,
    files: files.size,
    others: others.length,
    dirs: dirs.length,
    parts: partEntries.length,
  };
  return [
    { path: 'head', content: Buffer.from(JSON.stringify(head)) },
    { path: 'paths', content: joined(files.paths) },
    { path: 'hashes', content: files.hashes },
    { path: 'stamps', content: float64s(files.stamps) },
    { path: 'other-paths', content: joined(others) },
    { path: 'dir-paths', content: joined(dirs.map(([dir]) => dir)) },
    { path: 'dir-times', content: float64s(Float64Array.from(dirs, ([, time]) => time)) },
    { path: 'part-keys', content: joined(partEntries.map(([key]) => key)) },
    { path: 'part-files', content: float64s(partFiles) },
  ];
}

/** What a build reads of the manifest before it knows whether anything changed. */
export interface StoredManifest {
  readings?: string;
  summary?: SiteManifest['summary'];
  pages?: number;
  /** The files as a sweep takes them (write.ts packManifest). */
  packed: PackedFiles;
  /** The whole manifest, made when first asked for: a rebuild that finds nothing changed never needs it. */
  manifest(): SiteManifest;
}

/** The manifest encodeManifest stored, or null when the entry does not read as one (its lists are checked here; the parts' are made when first asked for). */
export function decodeManifest(files: readonly CachedFile[]): StoredManifest | null {
  const byName = new Map(files.map((file) => [file.path, file.content]));
  const file = (name: string) => {
    const content = byName.get(name);
    if (!content) throw new Error(`manifest without ${name}`);
    return content;
  };
  try {
    const head = JSON.parse(Buffer.from(file('head')).toString('utf8')) as Head;
    const paths = split(file('paths'), head.files);
    const stamps = asFloat64s(file('stamps'), head.files * 3);
    // Checks the lengths of the three lists.
    const files = new ManifestFiles(paths, Buffer.from(file('hashes')), stamps);
    const named = [...paths, ...split(file('other-paths'), head.others)];
    const dirPaths = split(file('dir-paths'), head.dirs);
    const dirTimes = asFloat64s(file('dir-times'), head.dirs);
    const dirs = new Map(dirPaths.map((dir, i) => [dir, dirTimes[i] as number]));
    const partKeys = split(file('part-keys'), head.parts);
    const partBytes = file('part-files');
    const partFiles = asFloat64s(partBytes, partBytes.byteLength / 8);
    // Each part's run of places, checked now so that a damaged entry is none rather than a manifest made wrong later.
    let at = 0;
    for (let part = 0; part < partKeys.length; part++) {
      const count = partFiles[at++];
      if (count === undefined || !Number.isInteger(count) || count < 0 || at + count > partFiles.length) throw new Error('manifest parts of the wrong length');
      for (let k = 0; k < count; k++) {
        const place = partFiles[at++] as number;
        if (!Number.isInteger(place) || named[place] === undefined) throw new Error('manifest part names no file');
      }
    }
    if (at !== partFiles.length) throw new Error('manifest parts of the wrong length');
    let whole: SiteManifest | null = null;
    const manifest = (): SiteManifest => {
      if (whole) return whole;
      const made: SiteManifest = { files, dirs };
      const parts = new Map<string, string[]>();
      /** Where each part's count and places lie in partFiles. */
      const runs = new Map<string, number>();
      let next = 0;
      for (const key of partKeys) {
        runs.set(key, next);
        const count = partFiles[next++] as number;
        const files = new Array<string>(count);
        for (let k = 0; k < count; k++) files[k] = named[partFiles[next++] as number] as string;
        parts.set(key, files);
      }
      if (head.readings !== undefined) made.readings = head.readings;
      if (head.summary !== undefined) made.summary = head.summary;
      if (head.pages !== undefined) made.pages = head.pages;
      made.parts = parts;
      made.placesOfPart = (key) => {
        const run = runs.get(key);
        if (run === undefined) return null;
        const count = partFiles[run] as number;
        const places = new Array<number>(count);
        for (let k = 0; k < count; k++) {
          const place = partFiles[run + 1 + k] as number;
          // Past the files: a path named that is no file here.
          if (place >= head.files) return null;
          places[k] = place;
        }
        return places;
      };
      return (whole = made);
    };
    return { readings: head.readings, summary: head.summary, pages: head.pages, packed: { paths, joinedPaths: new Uint8Array(file('paths')), stamps, dirs }, manifest };
  } catch {
    // Checksummed, so written by another build of the same version: still, one that does not read is as none.
    return null;
  }
}
