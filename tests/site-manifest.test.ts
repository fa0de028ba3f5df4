/**
 * The manifest of the last site written to a folder as the build cache keeps
 * it (site/manifest.ts): read back, it is exactly the manifest written, with
 * its files as a sweep takes them; an entry that does not read as one is
 * none, so that the next build writes every file afresh rather than trust it.
 */
import { describe, expect, it } from 'vitest';
import { decodeManifest, encodeManifest } from '../src/site/manifest.js';
import { FileRecorder, ManifestFiles, type ManifestEntry } from '../src/site/manifest-files.js';
import { packManifest, type SiteManifest } from '../src/site/write.js';

const hash = (n: number) => n.toString(16).padStart(64, '0');

function sample(): SiteManifest {
  return {
    files: ManifestFiles.of([
      ['index.html', [hash(1), 120, 1764246000123.456, 42]],
      ['示例县第1局/2021/index.html', [hash(2), 0, 1764246000200.5, 2 ** 40 + 3]],
      ['pagefind/shards/a.pf', [hash(3), 9_999_999, 1, 7]],
    ]),
    dirs: new Map([
      ['', 1764246000000.25],
      ['示例县第1局/', 1764246000001],
      ['pagefind/shards/', 3],
    ]),
    readings: hash(9),
    summary: { errors: 0, warnings: 3, infos: 1, accepted: 2 },
    pages: 2,
    // A part may name a file the manifest does not list (written under another name since): kept as named.
    parts: new Map([
      [hash(4), ['示例县第1局/2021/index.html', 'index.html']],
      [hash(5), []],
      [hash(6), ['gone/index.html', 'index.html']],
    ]),
  };
}

/** The manifest with its files as entries, in their order (as compared, not as held), without what a decoded one adds. */
function entries(manifest: SiteManifest | undefined) {
  if (!manifest) return manifest;
  const { placesOfPart: _, ...rest } = manifest;
  return { ...rest, files: [...manifest.files] };
}

describe('site manifest in the build cache', () => {
  it('reads back as written, files in their order, with the packed files a sweep takes', () => {
    const manifest = sample();
    const decoded = decodeManifest(encodeManifest(manifest));
    expect(decoded?.readings).toBe(manifest.readings);
    expect(decoded?.summary).toEqual(manifest.summary);
    expect(decoded?.pages).toBe(manifest.pages);
    expect(entries(decoded?.manifest())).toEqual(entries(manifest));
    expect([...(decoded?.manifest().files.keys() ?? [])]).toEqual([...manifest.files.keys()]);
    expect(decoded?.manifest().files.get('示例县第1局/2021/index.html')).toEqual([hash(2), 0, 1764246000200.5, 2 ** 40 + 3]);
    expect(decoded?.manifest().files.get('示例县第1局/2022/index.html')).toBeUndefined();
    expect([...(decoded?.manifest().parts?.keys() ?? [])]).toEqual([...(manifest.parts?.keys() ?? [])]);
    // Each part's places among the files as stored, as looking its paths up gives them: none for a part naming no file here.
    const read = decoded!.manifest();
    expect(read.placesOfPart?.(hash(4))).toEqual([1, 0]);
    expect(read.placesOfPart?.(hash(5))).toEqual([]);
    expect(read.placesOfPart?.(hash(6))).toBeNull();
    for (const [key, paths] of read.parts ?? []) expect(read.placesOfPart?.(key)).toEqual(read.files.placesOf(paths));
    expect(read.placesOfPart?.(hash(7))).toBeNull();
    const packed = packManifest(manifest);
    expect(decoded?.packed.paths).toEqual(packed.paths);
    expect([...(decoded?.packed.stamps ?? [])]).toEqual([...packed.stamps]);
    expect(decoded?.packed.dirs).toEqual(packed.dirs);
    // The paths as stored, in a buffer of their own: a sweep worker is sent all of the buffer a view is of (the whole entry).
    const joined = decoded?.packed.joinedPaths;
    expect(Buffer.from(joined ?? []).toString()).toBe([...manifest.files.keys()].join('\0'));
    expect(joined?.buffer.byteLength).toBe(joined?.byteLength);
  });

  it('reads back a manifest of no files, folders or parts, and one without the build\'s fields', () => {
    const empty: SiteManifest = { files: ManifestFiles.of([]), dirs: new Map(), parts: new Map() };
    expect(entries(decodeManifest(encodeManifest(empty))?.manifest())).toEqual(entries(empty));
    const onlyRoot: SiteManifest = { files: ManifestFiles.of([['a.html', [hash(1), 1, 2, 3]]]), dirs: new Map([['', 5]]), parts: new Map([[hash(2), ['a.html']]]) };
    expect(entries(decodeManifest(encodeManifest(onlyRoot))?.manifest())).toEqual(entries(onlyRoot));
  });

  it('refuses to hold a hash that is not a sha256 in hex', () => {
    for (const bad of ['abc', `${hash(1)}00`, `${hash(1).slice(0, 62)}g0`, `g${hash(1).slice(1)}`]) {
      expect(() => ManifestFiles.of([['a.html', [bad, 1, 2, 3]]])).toThrow();
    }
  });

  it('records a path again in its place with its last entry, and a kept file with its entry as another manifest stores it', () => {
    const other = ManifestFiles.of([
      ['a.html', [hash(1), 1, 2, 3]],
      ['b.html', [hash(2), 4, 5.5, 2 ** 40 + 6]],
    ]);
    const recorder = new FileRecorder();
    recorder.add('c.html', [hash(3), 7, 8, 9]);
    recorder.copy('b.html', other, 1);
    recorder.add('c.html', [hash(4), 10, 11, 12]);
    const { files, gone } = recorder.take();
    expect([...files]).toEqual([
      ['c.html', [hash(4), 10, 11, 12]],
      ['b.html', [hash(2), 4, 5.5, 2 ** 40 + 6]],
    ]);
    expect(files.placeOf('b.html')).toBe(1);
    expect(files.has('a.html')).toBe(false);
    expect(gone).toEqual([]);
  });

  it('keeps the places of its base\'s files recorded, drops those not recorded, and puts the others after them', () => {
    const entry = (n: number): [string, number, number, number] => [hash(n), n, n + 0.5, n * 7];
    const base = ManifestFiles.of(Array.from({ length: 3000 }, (_, n) => [`f${n}.html`, entry(n)] as [string, ManifestEntry]));
    const recorder = new FileRecorder(base);
    // Recorded out of order: kept (most), kept after being written afresh, written afresh after being kept, written afresh
    // twice; f1 and f2000 to f2099 not recorded; two files the base lacks, one recorded twice.
    recorder.add('new-b.html', entry(9001));
    for (let n = 2999; n >= 0; n--) if (n !== 1 && (n < 2000 || n >= 2100)) recorder.copy(`f${n}.html`, base, n);
    recorder.add('f5.html', entry(5005));
    recorder.copy('f5.html', base, 5);
    recorder.add('f6.html', entry(6006));
    recorder.add('f7.html', entry(7007));
    recorder.add('f7.html', entry(7008));
    recorder.add('new-a.html', entry(9002));
    recorder.add('new-b.html', entry(9003));
    const { files, gone } = recorder.take();
    const expected: [string, ManifestEntry][] = [];
    for (let n = 0; n < 3000; n++) {
      if (n === 1 || (n >= 2000 && n < 2100)) continue;
      expected.push([`f${n}.html`, n === 6 ? entry(6006) : n === 7 ? entry(7008) : entry(n)]);
    }
    expected.push(['new-b.html', entry(9003)], ['new-a.html', entry(9002)]);
    expect([...files]).toEqual(expected);
    expect(gone).toEqual(['f1.html', ...Array.from({ length: 100 }, (_, k) => `f${2000 + k}.html`)]);
    // Every file is found at its place, and the gone ones are not.
    expected.forEach(([path], place) => expect(files.placeOf(path), path).toBe(place));
    for (const path of gone) expect(files.has(path), path).toBe(false);
    expect(files.get('nowhere.html')).toBeUndefined();
    expect(() => recorder.take()).toThrow();
  });

  it('is none when a part of the entry is missing or of the wrong length', () => {
    const files = encodeManifest(sample());
    expect(decodeManifest(files.filter((file) => file.path !== 'hashes'))).toBeNull();
    expect(decodeManifest(files.map((file) => (file.path === 'stamps' ? { ...file, content: file.content.subarray(8) } : file)))).toBeNull();
    expect(decodeManifest(files.map((file) => (file.path === 'paths' ? { ...file, content: Buffer.from('index.html') } : file)))).toBeNull();
    for (const places of [[1, 99], [2, 0, 1, 0], [1, 0.5, 0, 0], [-1, 0, 0]]) {
      expect(decodeManifest(files.map((file) => (file.path === 'part-files' ? { ...file, content: new Uint8Array(new Float64Array(places).buffer) } : file)))).toBeNull();
    }
  });
});
