/**
 * A site's files as written (write.ts SiteManifest), packed: their paths
 * (in FileRecorder's order), each hash as 32 bytes and each size,
 * modification time and inode as float64s. At 10,000 reports a site has
 * 65,000 files: as a Map of entries (a hex string and a tuple each) the
 * manifest was made whole from the cache and packed again at the end of
 * every rebuild, ~100 ms and ~15 MB of heap that survived the whole build.
 * Packed, it is read from the cache and stored again as it is, and a file a
 * rebuild keeps is only marked as kept in the previous manifest's list.
 */
import { SHA256_BYTES as HASH_BYTES, writeSha256Hex } from './hash.js';

/** A file's entry: content hash (sha256 in hex), size, modification time and inode as written. */
export type ManifestEntry = [hash: string, size: number, mtimeMs: number, ino: number];

/** What a file is looked up in when the writer may keep it: the previous site's files (a render worker has those of a body). */
export interface KnownFiles {
  get(path: string): ManifestEntry | undefined;
}

export class ManifestFiles implements KnownFiles {
  /** The place of a path: given, or by an index made when a path is first looked up (a rebuild that changes nothing never does). */
  private lookUp: ((path: string) => number | undefined) | null;

  /** `paths` each once; `hashes` and `stamps` of exactly their length (checked: a cache entry might not be). */
  constructor(
    readonly paths: readonly string[],
    readonly hashes: Buffer,
    readonly stamps: Float64Array,
    placeOf: ((path: string) => number | undefined) | null = null,
  ) {
    if (hashes.length !== paths.length * HASH_BYTES || stamps.length !== paths.length * 3) throw new Error('manifest files of the wrong length');
    this.lookUp = placeOf;
  }

  /** The files of `entries`, in their order; throws when a hash is not a sha256 in hex. */
  static of(entries: Iterable<[string, ManifestEntry]>): ManifestFiles {
    const recorder = new FileRecorder();
    for (const [path, entry] of entries) recorder.add(path, entry);
    return recorder.take().files;
  }

  get size(): number {
    return this.paths.length;
  }

  /** The place of `path` among the files. */
  placeOf(path: string): number | undefined {
    if (!this.lookUp) {
      const index = new Map<string, number>();
      for (let i = 0; i < this.paths.length; i++) index.set(this.paths[i] as string, i);
      this.lookUp = (known) => index.get(known);
    }
    return this.lookUp(path);
  }

  /** The places of `paths`, or null when one is not a file here. */
  placesOf(paths: readonly string[]): number[] | null {
    const places: number[] = [];
    for (const path of paths) {
      const place = this.placeOf(path);
      if (place === undefined) return null;
      places.push(place);
    }
    return places;
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

  keys(): IterableIterator<string> {
    return this.paths.values();
  }

  *[Symbol.iterator](): IterableIterator<[string, ManifestEntry]> {
    for (let i = 0; i < this.paths.length; i++) yield [this.paths[i] as string, this.entryAt(i)];
  }
}

/** The bytes of all the files whose stamps these are (size, time and inode each: sizes are every third). */
export function totalSize(stamps: Float64Array): number {
  let bytes = 0;
  for (let i = 0; i < stamps.length; i += 3) bytes += stamps[i] as number;
  return bytes;
}

/** What a recorder knows of a place of its base manifest. */
const NOT_RECORDED = 0;
/** Recorded with the base's own entry. */
const KEPT = 1;
/** Recorded with an entry of its own. */
const PATCHED = 2;

/**
 * Records files one by one into a ManifestFiles: an entry as given, or a
 * file's entry copied from another manifest. A path recorded again keeps its
 * place and takes the last entry.
 *
 * Given the previous site's manifest as its `base`, the files it lists keep
 * their places (those not recorded are gone) and the others follow in the
 * order recorded: a rebuild keeps nearly all of them, so they are only
 * marked, and nothing is looked up or copied per file. Without one, the
 * files are in the order recorded.
 */
export class FileRecorder {
  /** Per place of the base: NOT_RECORDED, KEPT or PATCHED. */
  private readonly state: Uint8Array;
  /** The base's entries, patched, then those of the files it lacks. */
  private hashes: Buffer;
  private stamps: Float64Array;
  /** Files the base lacks, by their place after the base's. */
  private readonly added: string[] = [];
  private readonly addedPlaces = new Map<string, number>();
  /** The files taken (`take`). */
  private taken = false;

  constructor(private readonly base: ManifestFiles | null = null) {
    const size = base?.size ?? 0;
    this.state = new Uint8Array(size);
    this.hashes = Buffer.alloc((size + 1024) * HASH_BYTES);
    this.stamps = new Float64Array((size + 1024) * 3);
    if (base) {
      base.hashes.copy(this.hashes);
      this.stamps.set(base.stamps);
    }
  }

  /** Throws when the hash is not a sha256 in hex: it would be kept wrong, and the file trusted wrongly. */
  add(path: string, [hash, size, mtimeMs, ino]: ManifestEntry): void {
    const place = this.placeFor(path);
    writeSha256Hex(this.hashes, place * HASH_BYTES, hash, path);
    this.stamps[place * 3] = size;
    this.stamps[place * 3 + 1] = mtimeMs;
    this.stamps[place * 3 + 2] = ino;
  }

  /** Records `path` with the entry of the file at `from`'s place `place` (marked only, when `from` is the base and the file is its own). */
  copy(path: string, from: ManifestFiles, place: number): void {
    if (from !== this.base || from.paths[place] !== path) {
      this.add(path, from.entryAt(place));
      return;
    }
    // Patched since: the base's entry put back.
    if (this.state[place] === PATCHED) this.add(path, from.entryAt(place));
    this.state[place] = KEPT;
  }

  /** The files recorded, and the paths of the base's not recorded (gone from the site). Once only. */
  take(): { files: ManifestFiles; gone: string[] } {
    if (this.taken) throw new Error('files taken twice');
    this.taken = true;
    const { base, state, added } = this;
    const baseSize = base?.size ?? 0;
    const gone: string[] = [];
    for (let place = 0; place < baseSize; place++) if (state[place] === NOT_RECORDED) gone.push(base?.paths[place] as string);
    const count = baseSize - gone.length + added.length;
    const hashes = Buffer.alloc(count * HASH_BYTES);
    const stamps = new Float64Array(count * 3);
    /** The new place of each of the base's, -1 for one gone; null when none is. */
    const moved = gone.length === 0 ? null : new Int32Array(baseSize);
    const paths: string[] = [];
    // Runs of places recorded copied at once.
    let to = 0;
    for (let from = 0; from < baseSize + added.length; ) {
      if (from < baseSize && state[from] === NOT_RECORDED) {
        if (moved) moved[from] = -1;
        from++;
        continue;
      }
      let end = from + 1;
      while (end < baseSize && state[end] !== NOT_RECORDED) end++;
      if (from >= baseSize) end = baseSize + added.length;
      this.hashes.copy(hashes, to * HASH_BYTES, from * HASH_BYTES, end * HASH_BYTES);
      stamps.set(this.stamps.subarray(from * 3, end * 3), to * 3);
      for (let place = from; place < end; place++) {
        if (moved && place < baseSize) moved[place] = to + place - from;
        paths.push(place < baseSize ? (base?.paths[place] as string) : (added[place - baseSize] as string));
      }
      to += end - from;
      from = end;
    }
    const kept = baseSize - gone.length;
    const { addedPlaces } = this;
    // Looked up in the base's index, not in one of their own: a rebuild's 65,000 paths are not put in a second Map.
    const placeOf = (path: string): number | undefined => {
      const inBase = base?.placeOf(path);
      if (inBase !== undefined) {
        const place = moved ? (moved[inBase] as number) : state[inBase] === NOT_RECORDED ? -1 : inBase;
        return place < 0 ? undefined : place;
      }
      const later = addedPlaces.get(path);
      return later === undefined ? undefined : kept + later - baseSize;
    };
    this.hashes = Buffer.alloc(0);
    this.stamps = new Float64Array(0);
    return { files: new ManifestFiles(paths, hashes, stamps, placeOf), gone };
  }

  private placeFor(path: string): number {
    const inBase = this.base?.placeOf(path);
    if (inBase !== undefined) {
      this.state[inBase] = PATCHED;
      return inBase;
    }
    const known = this.addedPlaces.get(path);
    if (known !== undefined) return known;
    const place = (this.base?.size ?? 0) + this.added.length;
    this.added.push(path);
    this.addedPlaces.set(path, place);
    if ((place + 1) * HASH_BYTES > this.hashes.length) {
      const hashes = Buffer.alloc(place * 2 * HASH_BYTES);
      this.hashes.copy(hashes);
      this.hashes = hashes;
      const stamps = new Float64Array(place * 2 * 3);
      stamps.set(this.stamps);
      this.stamps = stamps;
    }
    return place;
  }
}
