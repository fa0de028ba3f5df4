/**
 * Splitting runs of digits whose table cells were printed with no separator
 * (crawled page text: `15130000154` = 151,3,0,0,0,0,154), using only the
 * table's own relations. Nothing here guesses: the splitter lists every
 * reading that is well formed and satisfies the relations it is given, and
 * the caller reports a cell as a number only when all readings agree on it.
 */
import type { CellKind } from '../template/layout.js';

/** A whitespace-free stretch of the run; whitespace between stretches is a hard cell boundary. */
export interface Segment {
  text: string;
  /** Source offset of the segment's first character. */
  offset: number;
}

/** One cell of a reading. `value` is null for a lone "-" (a dash) in a signed column. */
export interface Piece {
  text: string;
  value: number | null;
  offset: number;
}

/** Consecutive cells of which, when `summed`, the last is the sum of the others. */
export interface CellGroup {
  kinds: readonly CellKind[];
  summed: boolean;
}

export interface SplitResult {
  splits: Piece[][];
  /** More readings exist than the limit, or the work budget ran out: the list is incomplete. */
  capped: boolean;
}

/** Longest cell text considered: beyond this a value is no longer a safe integer. */
const MAX_CELL_LENGTH = 15;

/** Work budget (memoised states) for one run; a run needing more is reported as capped, never guessed. */
const MAX_STATES = 20000;

const DECIMAL = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;

/** 10 ** k for the lengths a cell can have, looked up rather than raised on every state. */
const POWERS_OF_TEN = Array.from({ length: MAX_CELL_LENGTH + 2 }, (_, k) => 10 ** k);

function powerOfTen(k: number): number {
  return POWERS_OF_TEN[k] ?? 10 ** k;
}

interface GroupShape {
  /** Where the cells before the total end (the group's end when it has no total). */
  membersEnd: number;
  maxLength: number;
  target: number | null;
}

/**
 * The tables' storage, shared by every run and grown as needed: a fresh typed array per run and
 * table cost more than the search of a short run. Safe because a run's searches finish before the
 * next run's tables are made (nothing here calls out while a search is on).
 */
const storage = { size: 0, codes: new Uint16Array(0), offsets: new Float64Array(0), cellLimit: new Int32Array(0), digitEnd: new Int32Array(0) };

function tablesFor(size: number): typeof storage {
  if (storage.size < size) {
    const grown = Math.max(size, 2 * storage.size, 64);
    Object.assign(storage, {
      size: grown,
      codes: new Uint16Array(grown),
      offsets: new Float64Array(grown),
      cellLimit: new Int32Array(grown),
      digitEnd: new Int32Array(grown),
    });
  }
  return storage;
}

/** A run's characters and the per-character tables the searches read in their innermost loops; filled once per run. */
class RunTables {
  readonly text: string;
  readonly length: number;
  readonly codes: Uint16Array;
  readonly offsets: Float64Array;
  /** cellLimit[p]: how far a cell starting at p may reach (its segment's end, a safe length). */
  readonly cellLimit: Int32Array;
  /** digitEnd[p]: end of the digits starting at p. */
  readonly digitEnd: Int32Array;

  constructor(segments: readonly Segment[]) {
    let text = '';
    for (const segment of segments) text += segment.text;
    const length = text.length;
    this.text = text;
    this.length = length;
    const tables = tablesFor(length + 1);
    this.codes = tables.codes;
    this.offsets = tables.offsets;
    this.cellLimit = tables.cellLimit;
    this.digitEnd = tables.digitEnd;
    for (let p = 0, s = 0; s < segments.length; s++) {
      const segment = segments[s] as Segment;
      const segmentEnd = p + segment.text.length;
      // The last segment's bound is the run's end, as it is for the position just past it.
      for (let i = 0; i < segment.text.length; i++, p++) {
        this.codes[p] = segment.text.charCodeAt(i);
        this.offsets[p] = segment.offset + i;
        this.cellLimit[p] = Math.min(segmentEnd, p + MAX_CELL_LENGTH);
      }
    }
    this.codes[length] = 0;
    this.offsets[length] = 0;
    this.cellLimit[length] = Math.min(length, length + MAX_CELL_LENGTH);
    this.digitEnd[length] = length;
    for (let p = length - 1; p >= 0; p--) {
      const code = this.codes[p] as number;
      this.digitEnd[p] = code >= DIGIT_0 && code <= DIGIT_9 ? (this.digitEnd[p + 1] as number) : p;
    }
  }

  isCount(from: number, to: number): boolean {
    return (
      to > from &&
      from <= this.length &&
      to <= (this.digitEnd[from] as number) &&
      to <= (this.cellLimit[from] as number) &&
      (to === from + 1 || this.codes[from] !== DIGIT_0)
    );
  }

  wellFormed(kind: CellKind, from: number, to: number): boolean {
    if (to <= from || from > this.length || to > (this.cellLimit[from] as number)) return false;
    if (kind === 'decimal') return DECIMAL.test(this.text.slice(from, to));
    const first = this.codes[from];
    if (kind === 'signedCount' && (first === MINUS || first === PLUS)) {
      return (to === from + 1 && first === MINUS) || this.isCount(from + 1, to);
    }
    return this.isCount(from, to);
  }

  /** A cell's value; plain digits are added up in place (exact: a cell has at most 15 of them), anything else read by Number. */
  valueOf(from: number, to: number): number | null {
    if (to <= (this.digitEnd[from] as number) && to - from <= MAX_CELL_LENGTH) {
      let value = 0;
      for (let i = from; i < to; i++) value = value * 10 + ((this.codes[i] as number) - DIGIT_0);
      return value;
    }
    return to === from + 1 && this.codes[from] === MINUS ? null : Number(this.text.slice(from, to));
  }

  piece(from: number, to: number): Piece {
    return { text: this.text.slice(from, to), value: this.valueOf(from, to), offset: this.offsets[from] ?? 0 };
  }
}

/**
 * Every reading of the segments as the groups' cells, in order, up to
 * `limit`. A summed group is read total first: its total is at least as long
 * as any other cell of the group, so each choice of the total's length fixes
 * the target the other cells must add up to. A run needing more than a fixed
 * budget of states is reported as capped.
 */
export function splitRun(segments: readonly Segment[], groups: readonly CellGroup[], limit = 1000): SplitResult {
  return search(new RunTables(segments), groups, limit);
}

/**
 * The readings of a run as printed: when its spaces leave a single
 * well-formed reading, that is what was printed, whatever its sums;
 * otherwise the readings that satisfy the groups' sums. Both searches read
 * the same tables of the run.
 */
export function readRun(segments: readonly Segment[], groups: readonly CellGroup[], limit: number): SplitResult {
  const run = new RunTables(segments);
  // Without a sum to check, the printed-reading search is the full one stopped early: one full search gives the same.
  if (!groups.some((g) => g.summed)) return search(run, groups, limit);
  return printedReading(run, groups) ?? search(run, groups, limit);
}

/** A search's result when it is a single reading, else null. */
function single(result: SplitResult): SplitResult | null {
  return result.splits.length === 1 && !result.capped ? result : null;
}

/**
 * The single reading of the run by its spaces alone, sums unchecked; null when there is none or more
 * than one. Without sums the groups' bounds change nothing but the order of the readings, and only a
 * single reading is used: the groups are searched as one row of all their cells, which the direct
 * search takes (table 四's three groups cost the memoised search thousands of states). That holds
 * while the memoised search could not run out of its budget: its states without targets are at most
 * one per group size, cell, start and end.
 */
function printedReading(run: RunTables, groups: readonly CellGroup[]): SplitResult | null {
  if (groups.length === 1) return singleUnsummed(run, (groups[0] as CellGroup).kinds);
  const { sizes, allKinds } = shapeOf(groups);
  let stateBound = 0;
  for (const size of sizes) stateBound += size * (run.length + 1) * (run.length + 1);
  if (groups.length === 0 || sizes.includes(0) || stateBound > MAX_STATES) return single(search(run, groups.map((g) => ({ kinds: g.kinds, summed: false })), 2));
  return singleUnsummed(run, allKinds);
}

/** Of a list of groups, its distinct group sizes and all its cells' kinds in one row. */
interface GroupsShape {
  sizes: readonly number[];
  allKinds: readonly CellKind[];
}

/** By list of groups: a table's list is made once, and working its shape out per run cost a tenth of table 四's split. */
const shapes = new WeakMap<readonly CellGroup[], GroupsShape>();

function shapeOf(groups: readonly CellGroup[]): GroupsShape {
  let shape = shapes.get(groups);
  if (!shape) {
    shape = { sizes: [...new Set(groups.map((g) => g.kinds.length))], allKinds: groups.flatMap((g) => g.kinds) };
    shapes.set(groups, shape);
  }
  return shape;
}

/**
 * What single(search(run, [{ kinds, summed: false }], 2)) gives, without making the pieces of two
 * readings to learn that there are two (a table-三 row without spaces, the common case): the walk
 * keeps the first reading's cuts and makes its pieces only when it is the only one.
 */
function singleUnsummed(run: RunTables, kinds: readonly CellKind[]): SplitResult | null {
  const group: CellGroup = { kinds, summed: false };
  if (run.length === kinds.length) return single(oneCharacterEach(run, [group]));
  if (kinds.length * (run.length + 1) > MAX_STATES) return single(memoisedSearch(run, [group], 2));
  const found: Piece[][] = [];
  walker.cutsOnly = true;
  const outcome = walkGroup(run, group, 0, run.length, 2, { count: 0 }, found);
  walker.cutsOnly = false;
  if (outcome === 'overBudget') return single(memoisedSearch(run, [group], 2));
  if (outcome === 'full' || found.length !== 1) return null;
  const reading: Piece[] = [];
  for (let c = 0; c < kinds.length; c++) reading.push(run.piece(walker.firstCuts[c] as number, walker.firstCuts[c + 1] as number));
  return { splits: [reading], capped: false };
}

function search(run: RunTables, groups: readonly CellGroup[], limit: number): SplitResult {
  const cellCount = groups.reduce((n, g) => n + g.kinds.length, 0);
  if (run.length === cellCount) return oneCharacterEach(run, groups);
  if (groups.length === 1) {
    const direct = oneGroupDirect(run, groups[0] as CellGroup, limit);
    if (direct) return direct;
  } else if (groups.length > 1 && groups.every((g) => g.summed && g.kinds.length > 1)) {
    const direct = summedGroupsDirect(run, groups, limit);
    if (direct) return direct;
  }
  return memoisedSearch(run, groups, limit);
}

/** As many characters as cells (the common 0000000): the only possible reading is one character per cell. */
function oneCharacterEach(run: RunTables, groups: readonly CellGroup[]): SplitResult {
  const reading: Piece[] = [];
  let pos = 0;
  for (const group of groups) {
    const kinds = group.kinds;
    // Counted loops: an iterator of entries per group cost as much as the row's cells.
    const totalAt = group.summed && kinds.length > 1 ? kinds.length - 1 : -1;
    let sum = 0;
    for (let i = 0; i < kinds.length; i++, pos++) {
      if (!run.wellFormed(kinds[i] as CellKind, pos, pos + 1)) return { splits: [], capped: false };
      const cell = run.piece(pos, pos + 1);
      if (i === totalAt && cell.value !== sum) return { splits: [], capped: false };
      sum += cell.value ?? 0;
      reading.push(cell);
    }
  }
  return { splits: [reading], capped: false };
}

/** Places the direct searches of one run have visited, against the memoised search's budget of states. */
interface Visits {
  count: number;
}

type WalkOutcome = 'open' | 'full' | 'overBudget';

/**
 * The walk of one group's readings (walkGroup's), one instance reused by every walk: walks never
 * nest, and a walk made of closures and a fresh array of cuts per call cost more than a short row's walk.
 */
class GroupWalker {
  run!: RunTables;
  kinds: readonly CellKind[] = [];
  memberCount = 0;
  summed = false;
  /** cuts[c]: where cell c of the reading under way starts (cuts[c + 1] where it ends). */
  cuts = new Int32Array(16);
  limit = 0;
  visits!: Visits;
  readings!: Piece[][];
  outcome: WalkOutcome = 'open';
  totalStart = 0;
  end = 0;
  /** When set, readings are counted (as empty arrays) and only the first one's cuts kept, in firstCuts. */
  cutsOnly = false;
  firstCuts = new Int32Array(16);

  walk(cell: number, pos: number, membersEnd: number, maxLength: number, target: number | null): void {
    const left = this.memberCount - cell;
    if (left === 0) {
      if (pos === membersEnd && (target === null || target === 0)) this.record();
      return;
    }
    // The memoised search's own early refusals, so that a place counts here exactly when a state would count there.
    const chars = membersEnd - pos;
    if (chars < left || chars > left * maxLength || (target !== null && target < 0)) return;
    if (target !== null) {
      const longest = Math.min(maxLength, chars - left + 1);
      const forced = Math.ceil(chars / left);
      if (target >= left * powerOfTen(longest) || (forced >= 2 && target < powerOfTen(forced - 1))) return;
    }
    if (++this.visits.count > MAX_STATES) {
      this.outcome = 'overBudget';
      return;
    }
    const run = this.run;
    const kind = this.kinds[cell] ?? 'count';
    const stop = Math.min(membersEnd, pos + maxLength);
    if (left === 1) {
      // The last cell can only end where the members do: one piece to check rather than a loop of dead ends.
      if (membersEnd <= stop && run.wellFormed(kind, pos, membersEnd) && (target === null || (run.valueOf(pos, membersEnd) ?? 0) === target)) {
        this.cuts[cell + 1] = membersEnd;
        this.record();
      }
      return;
    }
    if (kind === 'count') {
      // A count is plain digits within its segment, no leading zero: its ends and values follow in one sweep.
      const codes = run.codes;
      const reach = Math.min(stop, run.digitEnd[pos] as number, run.cellLimit[pos] as number);
      const last = codes[pos] === DIGIT_0 ? Math.min(reach, pos + 1) : reach;
      let value = 0;
      for (let to = pos + 1; to <= last && this.outcome === 'open'; to++) {
        value = value * 10 + ((codes[to - 1] as number) - DIGIT_0);
        this.cuts[cell + 1] = to;
        this.walk(cell + 1, to, membersEnd, maxLength, target === null ? null : target - value);
      }
      return;
    }
    for (let to = pos + 1; to <= stop && this.outcome === 'open'; to++) {
      if (!run.wellFormed(kind, pos, to)) continue;
      this.cuts[cell + 1] = to;
      this.walk(cell + 1, to, membersEnd, maxLength, target === null ? null : target - (run.valueOf(pos, to) ?? 0));
    }
  }

  record(): void {
    const readings = this.readings;
    if (readings.length >= this.limit) {
      this.outcome = 'full';
      return;
    }
    const { run, cuts, memberCount } = this;
    if (this.cutsOnly) {
      if (readings.length === 0) this.firstCuts.set(cuts.subarray(0, memberCount + 1));
      readings.push([]);
      return;
    }
    const reading: Piece[] = [];
    for (let c = 0; c < memberCount; c++) reading.push(run.piece(cuts[c] as number, cuts[c + 1] as number));
    if (this.summed) reading.push(run.piece(this.totalStart, this.end));
    readings.push(reading);
  }
}

const walker = new GroupWalker();

/**
 * Appends to `readings` one group's readings over [from, end), depth first without a memo, in the
 * memoised search's order (total length, then each cell's length, ascending), until `limit`. Every
 * state the memoised search would create for these questions is a place visited here and counted in
 * `visits`, so a search that stays within the budget is one that search finishes too.
 */
function walkGroup(run: RunTables, group: CellGroup, from: number, end: number, limit: number, visits: Visits, readings: Piece[][]): WalkOutcome {
  const kinds = group.kinds;
  const summed = group.summed && kinds.length > 1;
  const memberCount = summed ? kinds.length - 1 : kinds.length;
  if (walker.cuts.length < memberCount + 1) {
    walker.cuts = new Int32Array(2 * (memberCount + 1));
    walker.firstCuts = new Int32Array(2 * (memberCount + 1));
  }
  walker.run = run;
  walker.kinds = kinds;
  walker.memberCount = memberCount;
  walker.summed = summed;
  walker.limit = limit;
  walker.visits = visits;
  walker.readings = readings;
  walker.outcome = 'open';
  walker.totalStart = end;
  walker.end = end;
  walker.cuts[0] = from;
  if (!summed) {
    walker.walk(0, from, end, MAX_CELL_LENGTH, null);
  } else {
    for (let totalLength = 1; totalLength <= Math.min(MAX_CELL_LENGTH, end - from - memberCount) && walker.outcome === 'open'; totalLength++) {
      const totalStart = end - totalLength;
      if (!run.isCount(totalStart, end)) continue;
      walker.totalStart = totalStart;
      walker.walk(0, from, totalStart, totalLength, run.valueOf(totalStart, end) as number);
    }
  }
  return walker.outcome;
}

/**
 * A run that is one group (a row of table 二 or 三), read by the direct walk: a row's few short cells
 * give fewer places to visit than the memoised search allocates states for. Null, for the memoised
 * search to decide as before, when the places pass the budget, or when a summed group's readings pass
 * the limit (that search would still have spent states on the shapes it had not yet listed).
 */
function oneGroupDirect(run: RunTables, group: CellGroup, limit: number): SplitResult | null {
  const summed = group.summed && group.kinds.length > 1;
  // Without a total, memo states are at most one per cell and place: the memoised search stays within budget.
  if (!summed && group.kinds.length * (run.length + 1) > MAX_STATES) return null;
  const readings: Piece[][] = [];
  const outcome = walkGroup(run, group, 0, run.length, limit, { count: 0 }, readings);
  if (outcome === 'overBudget' || (outcome === 'full' && summed)) return null;
  return { splits: readings, capped: outcome === 'full' };
}

/**
 * Whether groups g… can fill a run of `length` digits from `pos` to its end, each over a stretch where
 * `groupFits` finds a reading; memoised by (g, pos). Once `stopped` (a budget spent), nothing more fits.
 */
function restOfRunFits(
  groupCount: number,
  length: number,
  groupFits: (g: number, pos: number, end: number) => boolean,
  stopped: () => boolean,
): (g: number, pos: number) => boolean {
  const stride = length + 1;
  /** memo[g * stride + pos]: 0 not yet known, 1 the rest fits, 2 it does not. */
  const memo = new Uint8Array(groupCount * stride);
  function restFits(g: number, pos: number): boolean {
    if (g === groupCount) return pos === length;
    const key = g * stride + pos;
    const known = memo[key];
    if (known !== 0) return known === 1;
    let fits = false;
    for (let end = pos + 1; end <= length && !fits && !stopped(); end++) fits = restFits(g + 1, end) && groupFits(g, pos, end);
    memo[key] = fits ? 1 : 2;
    return fits;
  }
  return restFits;
}

/**
 * Groups that all have a total (table 四's three), asked the memoised search's own questions in its
 * order (where each group ends, whether the rest fits), but each group's readings over a stretch
 * listed once by the direct walk instead of a memo of cell states: the same readings in the same
 * order. Null when the places visited pass the budget, for the memoised search to decide.
 */
function summedGroupsDirect(run: RunTables, groups: readonly CellGroup[], limit: number): SplitResult | null {
  const { length } = run;
  const stride = length + 1;
  const visits: Visits = { count: 0 };
  let overBudget = false;
  const readingsMemo = new Map<number, Piece[][]>();
  function groupReadings(g: number, pos: number, end: number): Piece[][] {
    const key = (g * stride + pos) * stride + end;
    let readings = readingsMemo.get(key);
    if (!readings) {
      readings = [];
      if (walkGroup(run, groups[g] as CellGroup, pos, end, Infinity, visits, readings) === 'overBudget') overBudget = true;
      readingsMemo.set(key, readings);
    }
    return readings;
  }
  const restFits = restOfRunFits(groups.length, length, (g, pos, end) => groupReadings(g, pos, end).length > 0, () => overBudget);
  const splits: Piece[][] = [];
  let capped = false;
  const current: Piece[] = [];
  function collect(g: number, pos: number): void {
    if (g === groups.length) {
      if (splits.length >= limit) capped = true;
      else splits.push([...current]);
      return;
    }
    for (let end = pos + 1; end <= length && !capped && !overBudget; end++) {
      if (!restFits(g + 1, end)) continue;
      for (const reading of groupReadings(g, pos, end)) {
        if (capped) break;
        current.push(...reading);
        collect(g + 1, end);
        current.length -= reading.length;
      }
    }
  }
  if (restFits(0, 0)) collect(0, 0);
  return overBudget ? null : { splits, capped };
}

/**
 * The general search, over any groups: feasibility is memoised, so
 * enumeration only walks paths that end in a reading.
 */
function memoisedSearch(run: RunTables, groups: readonly CellGroup[], limit: number): SplitResult {
  const { length } = run;
  let states = 0;
  let overBudget = false;

  // Memo keys are numbers while they stay exact (a run up to 65,535 characters); strings beyond.
  const stride = length + 1;
  const numericKeys = stride <= 0x10000;
  const placeKey = (a: number, b: number, c: number, d: number, e: number): number | string =>
    numericKeys ? (((a * 64 + b) * 16 + c) * stride + d) * stride + e : `${a}:${b}:${c}:${d}:${e}`;

  /**
   * Member states by place, then by target (null for a group without a total): two lookups of small
   * integers, where one key holding both would be a large number, allocated afresh on every lookup.
   */
  const memberMemo = new Map<number | string, Map<number | null, boolean>>();

  /** Whether [pos, end) reads as cells `kinds[cell..]`, each at most `maxLength` long, adding up to `target` (when set). */
  function membersFit(kinds: readonly CellKind[], cell: number, pos: number, end: number, maxLength: number, target: number | null): boolean {
    const left = kinds.length - cell;
    if (left === 0) return pos === end && (target === null || target === 0);
    const chars = end - pos;
    if (chars < left || chars > left * maxLength || (target !== null && target < 0)) return false;
    if (target !== null) {
      // Cheap bounds: the longest cell the chars allow caps the sum; the cell forced to be long sets its floor.
      const longest = Math.min(maxLength, chars - left + 1);
      const forced = Math.ceil(chars / left);
      if (target >= left * powerOfTen(longest) || (forced >= 2 && target < powerOfTen(forced - 1))) return false;
    }
    // Targets that reach here are not negative.
    const place = placeKey(kinds.length, cell, maxLength, pos, end);
    let byTarget = memberMemo.get(place);
    if (byTarget === undefined) {
      byTarget = new Map();
      memberMemo.set(place, byTarget);
    }
    const known = byTarget.get(target);
    if (known !== undefined) return known;
    if (++states > MAX_STATES) overBudget = true;
    if (overBudget) return false;
    const kind = kinds[cell] ?? 'count';
    let fits = false;
    for (let to = pos + 1; to <= Math.min(end, pos + maxLength) && !fits; to++) {
      if (!run.wellFormed(kind, pos, to)) continue;
      fits = membersFit(kinds, cell + 1, to, end, maxLength, target === null ? null : target - (run.valueOf(pos, to) ?? 0));
    }
    byTarget.set(target, fits);
    return fits;
  }

  /** The ways group `g` can cover [pos, end): for a summed group, one per length of its total. */
  const shapeMemo = new Map<number | string, GroupShape[]>();
  function groupShapes(g: number, pos: number, end: number): GroupShape[] {
    const key = placeKey(0, 0, g, pos, end);
    const known = shapeMemo.get(key);
    if (known) return known;
    const group = groups[g];
    const shapes: GroupShape[] = [];
    const memberCount = (group?.kinds.length ?? 1) - 1;
    if (group && (!group.summed || memberCount === 0)) {
      if (membersFit(group.kinds, 0, pos, end, MAX_CELL_LENGTH, null)) shapes.push({ membersEnd: end, maxLength: MAX_CELL_LENGTH, target: null });
    } else if (group) {
      const members = group.kinds.slice(0, -1);
      for (let totalLength = 1; totalLength <= Math.min(MAX_CELL_LENGTH, end - pos - memberCount); totalLength++) {
        const totalStart = end - totalLength;
        if (!run.isCount(totalStart, end)) continue;
        const target = run.valueOf(totalStart, end) as number;
        // Counts are not negative, so no other cell of the group is longer than its total.
        if (membersFit(members, 0, pos, totalStart, totalLength, target)) shapes.push({ membersEnd: totalStart, maxLength: totalLength, target });
      }
    }
    shapeMemo.set(key, shapes);
    return shapes;
  }

  const restFits = restOfRunFits(groups.length, length, (g, pos, end) => groupShapes(g, pos, end).length > 0, () => overBudget);

  const splits: Piece[][] = [];
  let capped = false;
  const current: Piece[] = [];
  function collectMembers(kinds: readonly CellKind[], cell: number, pos: number, shape: GroupShape, target: number | null, then: () => void): void {
    if (cell === kinds.length) {
      then();
      return;
    }
    const kind = kinds[cell] ?? 'count';
    for (let to = pos + 1; to <= Math.min(shape.membersEnd, pos + shape.maxLength) && !capped; to++) {
      if (!run.wellFormed(kind, pos, to)) continue;
      const rest = target === null ? null : target - (run.valueOf(pos, to) ?? 0);
      if (!membersFit(kinds, cell + 1, to, shape.membersEnd, shape.maxLength, rest)) continue;
      current.push(run.piece(pos, to));
      collectMembers(kinds, cell + 1, to, shape, rest, then);
      current.pop();
    }
  }
  function collect(g: number, pos: number): void {
    const group = groups[g];
    if (!group) {
      if (splits.length >= limit) capped = true;
      else splits.push([...current]);
      return;
    }
    for (let end = pos + 1; end <= length && !capped; end++) {
      if (!restFits(g + 1, end)) continue;
      for (const shape of groupShapes(g, pos, end)) {
        const summed = shape.target !== null;
        collectMembers(summed ? group.kinds.slice(0, -1) : group.kinds, 0, pos, shape, shape.target, () => {
          if (summed) current.push(run.piece(shape.membersEnd, end));
          collect(g + 1, end);
          if (summed) current.pop();
        });
      }
    }
  }
  if (groups.length > 0 && restFits(0, 0)) collect(0, 0);
  // Past the budget, "no reading" and a short list are both unproven.
  return overBudget ? { splits: [], capped: true } : { splits, capped };
}

/** Σ coefficient·row[c] = 0 for every column c, over the rows named. */
export interface ColumnRelation {
  id: string;
  terms: readonly { row: number; coefficient: number }[];
}

export type NarrowResult =
  | { status: 'ok'; viable: boolean[][] }
  /** No combination of readings satisfies every relation. */
  | { status: 'none' }
  /** Too many partial combinations to follow. */
  | { status: 'capped' };

/**
 * Which readings of each row take part in at least one combination of
 * readings (one per row) that satisfies every column relation. A forward
 * pass collects the reachable partial sums, a backward pass the sums from
 * which the relations can still close; a reading is viable when it joins the
 * two. Both sets stay small because most rows have a single reading.
 */
export function narrowByRelations(
  candidates: readonly (readonly (readonly number[])[])[],
  relations: readonly ColumnRelation[],
  cap = 20000,
): NarrowResult {
  const width = candidates.find((c) => c.length > 0)?.[0]?.length ?? 0;
  const stateSize = relations.length * width;
  const zero = new Array<number>(stateSize).fill(0);
  // Each row's terms, relation by relation and in each relation's order: a row's contribution is summed in the
  // same order as by going through every relation's terms for it, without going through the other rows' terms.
  const termsOf = new Map<number, { slot: number; coefficient: number }[]>();
  relations.forEach((relation, k) => {
    for (const term of relation.terms) {
      let terms = termsOf.get(term.row);
      if (!terms) termsOf.set(term.row, (terms = []));
      terms.push({ slot: k * width, coefficient: term.coefficient });
    }
  });
  const contributionInto = (out: number[], row: number, values: readonly number[]): number[] => {
    out.fill(0);
    for (const { slot, coefficient } of termsOf.get(row) ?? []) {
      for (let c = 0; c < width; c++) out[slot + c] = (out[slot + c] as number) + coefficient * (values[c] ?? 0);
    }
    return out;
  };
  const contribution = (row: number, values: readonly number[]): number[] => contributionInto(new Array<number>(stateSize), row, values);
  const add = (a: readonly number[], b: readonly number[], sign = 1): number[] => {
    const out = new Array<number>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + sign * (b[i] ?? 0);
    return out;
  };

  // A row with a single reading only shifts every sum by the same amount: it is added once up front,
  // and the passes walk the rows that have a choice (the sets they build are the same size either way).
  const fixed = zero.slice();
  const single = new Array<number>(stateSize);
  const order: number[] = [];
  for (const row of [...termsOf.keys()].sort((a, b) => a - b)) {
    const options = candidates[row] ?? [];
    if (options.length === 1) {
      contributionInto(single, row, options[0] ?? []);
      for (let i = 0; i < stateSize; i++) fixed[i] = (fixed[i] as number) + (single[i] as number);
    } else order.push(row);
  }
  const contributions = order.map((row) => (candidates[row] ?? []).map((values) => contribution(row, values)));
  const forward: VectorSet[] = [VectorSet.of(fixed)];
  for (const options of contributions) {
    const next = new VectorSet();
    for (const state of (forward.at(-1) as VectorSet).vectors) for (const option of options) next.add(add(state, option));
    if (next.size > cap) return { status: 'capped' };
    forward.push(next);
  }
  if (!forward.at(-1)?.has(zero)) return { status: 'none' };

  const backward: VectorSet[] = new Array(order.length + 1);
  backward[order.length] = VectorSet.of(zero);
  for (let i = order.length - 1; i >= 0; i--) {
    const next = new VectorSet();
    for (const state of (backward[i + 1] as VectorSet).vectors) for (const option of contributions[i] ?? []) next.add(add(state, option, -1));
    if (next.size > cap) return { status: 'capped' };
    backward[i] = next;
  }

  const viable = candidates.map((options) => options.map(() => true));
  order.forEach((row, i) => {
    const reachable = (forward[i] as VectorSet).vectors;
    const closing = backward[i + 1] as VectorSet;
    viable[row] = (contributions[i] ?? []).map((option) => reachable.some((state) => closing.has(add(state, option))));
  });
  return { status: 'ok', viable };
}

/**
 * Vectors of numbers as a set by value, in the order first added. Looked up by a hash of their
 * elements and compared element by element: joining every vector into a string key cost more than
 * the rest of the narrowing.
 */
class VectorSet {
  readonly vectors: number[][] = [];
  private readonly buckets = new Map<number, number[][]>();

  static of(vector: number[]): VectorSet {
    const set = new VectorSet();
    set.add(vector);
    return set;
  }

  get size(): number {
    return this.vectors.length;
  }

  has(vector: readonly number[]): boolean {
    return this.buckets.get(hashOf(vector))?.some((known) => sameElements(known, vector)) ?? false;
  }

  add(vector: number[]): void {
    const hash = hashOf(vector);
    const bucket = this.buckets.get(hash);
    if (!bucket) this.buckets.set(hash, [vector]);
    else if (bucket.some((known) => sameElements(known, vector))) return;
    else bucket.push(vector);
    this.vectors.push(vector);
  }
}

/** A 31-bit hash of a vector's elements, low and high words alike (FNV-1a over both). */
function hashOf(vector: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i] as number;
    hash = Math.imul(hash ^ (x | 0), 0x01000193);
    hash = Math.imul(hash ^ ((x / 0x100000000) | 0), 0x01000193);
  }
  return hash >>> 1;
}

function sameElements(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
