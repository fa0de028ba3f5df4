/**
 * A site's files as written (write.ts SiteManifest), packed: their paths in
 * the order written, each hash as 32 bytes and each size, modification time
 * and inode as float64s. At 10,000 reports a site has 65,000 files: as a Map
 * of entries (a hex string and a tuple each) the manifest was made whole
 * from the cache and packed again at the end of every rebuild, ~100 ms and
 * ~15 MB of heap that survived the whole build. Packed, it is read from the
 * cache and stored again as it is, and a file a rebuild keeps is copied from
 * the previous manifest byte for byte.
 */
import { SHA256_BYTES as HASH_BYTES, writeSha256Hex } from './hash.js';

/** A file's entry: content hash (sha256 in hex), size, modification time and inode as written. */
export type ManifestEntry = [hash: string, size: number, mtimeMs: number, ino: number];

/** What a file is looked up in when the writer may keep it: the previous site's files (a render worker has those of a body). */
export interface KnownFiles {
  get(path: string): ManifestEntry | undefined;
}

export class ManifestFiles implements KnownFiles {
  /** Made when a path is first looked up: a rebuild that changes nothing never does. */
  private index: Map<string, number> | null;

  /** `paths` each once; `hashes` and `stamps` of exactly their length (checked: a cache entry might not be). */
  constructor(
    readonly paths: readonly string[],
    readonly hashes: Buffer,
    readonly stamps: Float64Array,
    index: Map<string, number> | null = null,
  ) {
    if (hashes.length !== paths.length * HASH_BYTES || stamps.length !== paths.length * 3) throw new Error('manifest files of the wrong length');
    this.index = index;
  }

  /** The files of `entries`, in their order; throws when a hash is not a sha256 in hex. */
  static of(entries: Iterable<[string, ManifestEntry]>): ManifestFiles {
    const recorder = new FileRecorder();
    for (const [path, entry] of entries) recorder.add(path, entry);
    return recorder.take();
  }

  get size(): number {
    return this.paths.length;
  }

  /** The place of `path` among the files. */
  placeOf(path: string): number | undefined {
    if (!this.index) {
      this.index = new Map();
      for (let i = 0; i < this.paths.length; i++) this.index.set(this.paths[i] as string, i);
    }
    return this.index.get(path);
  }

  has(path: string): boolean {
    return this.placeOf(path) !== undefined;
  }

  get(path: string): ManifestEntry | undefined {
    const place = this.placeOf(path);
    return place === undefined ? undefined : this.entryAt(place);
  }

  entryAt(place: number): ManifestEntry {
    const { stamps } = this;
    return [this.hashes.toString('hex', place * HASH_BYTES, (place + 1) * HASH_BYTES), stamps[place * 3] as number, stamps[place * 3 + 1] as number, stamps[place * 3 + 2] as number];
  }

  /** The size of the file at `place`. */
  sizeAt(place: number): number {
    return this.stamps[place * 3] as number;
  }

  keys(): IterableIterator<string> {
    return this.paths.values();
  }

  *[Symbol.iterator](): IterableIterator<[string, ManifestEntry]> {
    for (let i = 0; i < this.paths.length; i++) yield [this.paths[i] as string, this.entryAt(i)];
  }
}

/**
 * Records files one by one into a ManifestFiles: an entry as given, or a
 * file's entry copied from another manifest's. A path recorded again keeps
 * its first place and takes the last entry.
 */
export class FileRecorder {
  private paths: string[] = [];
  private index = new Map<string, number>();
  private hashes = Buffer.alloc(0);
  private stamps = new Float64Array(0);

  /** Throws when the hash is not a sha256 in hex: it would be kept wrong, and the file trusted wrongly. */
  add(path: string, [hash, size, mtimeMs, ino]: ManifestEntry): void {
    const place = this.placeFor(path);
    writeSha256Hex(this.hashes, place * HASH_BYTES, hash, path);
    this.stamps[place * 3] = size;
    this.stamps[place * 3 + 1] = mtimeMs;
    this.stamps[place * 3 + 2] = ino;
  }

  /** Records `path` with the entry of the file at `from`'s place `place`. */
  copy(path: string, from: ManifestFiles, place: number): void {
    const to = this.placeFor(path);
    from.hashes.copy(this.hashes, to * HASH_BYTES, place * HASH_BYTES, (place + 1) * HASH_BYTES);
    this.stamps[to * 3] = from.stamps[place * 3] as number;
    this.stamps[to * 3 + 1] = from.stamps[place * 3 + 1] as number;
    this.stamps[to * 3 + 2] = from.stamps[place * 3 + 2] as number;
  }

  /** The files recorded, and none held here any more. */
  take(): ManifestFiles {
    const count = this.paths.length;
    const files = new ManifestFiles(this.paths, Buffer.from(this.hashes.subarray(0, count * HASH_BYTES)), this.stamps.slice(0, count * 3), this.index);
    this.paths = [];
    this.index = new Map();
    this.hashes = Buffer.alloc(0);
    this.stamps = new Float64Array(0);
    return files;
  }

  private placeFor(path: string): number {
    const known = this.index.get(path);
    if (known !== undefined) return known;
    const place = this.paths.length;
    this.paths.push(path);
    this.index.set(path, place);
    if ((place + 1) * HASH_BYTES > this.hashes.length) {
      const hashes = Buffer.alloc(Math.max(1024, place * 2) * HASH_BYTES);
      this.hashes.copy(hashes);
      this.hashes = hashes;
      const stamps = new Float64Array((hashes.length / HASH_BYTES) * 3);
      stamps.set(this.stamps);
      this.stamps = stamps;
    }
    return place;
  }
}
