/**
 * How bodies are spread over the search index's buckets (bodyBuckets): the
 * fullest bucket sets Pagefind's peak memory, and a bucket whose bodies
 * change is indexed again, so the spread must be even and stable.
 */
import { describe, expect, it } from 'vitest';
import { sha256Text } from '../src/site/hash.js';
import { bodyBuckets, SearchIndexer } from '../src/site/search.js';
import type { PageKind } from '../src/site/view/layout.js';
import type { BodyReports } from '../src/site/view/report-page.js';

/** Body folders as the site names them, for as many bodies as a province's portal has. */
const bodies = Array.from({ length: 2000 }, (_, i) => `bodies/示例县第${i}局-${sha256Text(String(i)).slice(0, 8)}`);
const buckets = 256;

function loads(placed: ReadonlyMap<string, number>): number[] {
  const load = new Array<number>(buckets).fill(0);
  for (const bucket of placed.values()) load[bucket] = (load[bucket] as number) + 1;
  return load;
}

/** The buckets whose bodies differ between two placements. */
function bucketsChanged(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Set<number> {
  const changed = new Set<number>();
  for (const [body, bucket] of after) {
    const was = before.get(body);
    if (was === bucket) continue;
    changed.add(bucket);
    if (was !== undefined) changed.add(was);
  }
  return changed;
}

describe('search buckets', () => {
  const placed = bodyBuckets(bodies, buckets);

  it('places every body, keeping the fullest bucket near the mean where one hash would not', () => {
    expect(placed.size).toBe(bodies.length);
    const twoChoices = Math.max(...loads(placed));
    const oneHash = Math.max(...loads(new Map(bodies.map((body) => [body, Number.parseInt(sha256Text(body).slice(0, 8), 16) % buckets]))));
    // A mean of 7.8 bodies a bucket.
    expect(twoChoices).toBeLessThanOrEqual(10);
    expect(oneHash).toBeGreaterThanOrEqual(14);
  });

  it('depends on the set of bodies only, not on their order', () => {
    const reversed = bodyBuckets([...bodies].reverse(), buckets);
    expect([...reversed].sort()).toEqual([...placed].sort());
  });

  it('changes few buckets when a body is added (each such bucket is indexed again)', () => {
    for (let added = 0; added < 20; added++) {
      const after = bodyBuckets([...bodies, `bodies/新设机构${added}`], buckets);
      expect(bucketsChanged(placed, after).size).toBeLessThanOrEqual(12);
    }
  });

  it('is how the indexer of a build shards the pages: the pages of a body together, the fullest shard near the mean', () => {
    const bodyPages = bodies.flatMap((body) => [`${body}/index.html`, `${body}/2023/index.html`, `${body}/2024/index.html`]);
    const indexer = new SearchIndexer(['index.html', 'years/2023/index.html', ...bodyPages], () => {});
    expect(indexer.buckets).toBe(buckets);
    expect(indexer.shardOf('index.html')).toBe('site');
    expect(indexer.shardOf('years/2023/index.html')).toMatch(/^s-[0-9a-f]{12}$/);
    const bodiesByShard = new Map<string, number>();
    for (const body of bodies) {
      const shard = indexer.shardOf(`${body}/index.html`);
      expect(indexer.shardOf(`${body}/2023/index.html`)).toBe(shard);
      bodiesByShard.set(shard, (bodiesByShard.get(shard) ?? 0) + 1);
    }
    expect(bodiesByShard.size).toBe(buckets);
    expect(Math.max(...bodiesByShard.values())).toBeLessThanOrEqual(10);
  });

  it("makes a body's comparison pages, not indexed, with its shard; a site-wide part without an indexed page (a year's later page) with none", () => {
    const body = bodies[7] as string;
    const indexer = new SearchIndexer([`${body}/index.html`, `${body}/2023/index.html`, ...bodies.map((b) => `${b}/2024/index.html`)], () => {});
    const plan = (path: string, kind: PageKind, indexed: boolean) => ({ path, kind, indexed });
    const ofBody = { body: { dir: `${body}/` } as BodyReports, kind: 'compare' as const, index: 1 };
    const shard = indexer.shardOf(`${body}/2023/index.html`);
    expect(indexer.shardOfPart({ pages: [plan(`${body}/2023/index.html`, 'report', true)], ofBody: { ...ofBody, kind: 'report' } })).toBe(shard);
    expect(indexer.shardOfPart({ pages: [plan(`${body}/compare/2023-2024/index.html`, 'compare', false)], ofBody })).toBe(shard);
    expect(indexer.shardOfPart({ pages: [plan('years/2023/page/2/index.html', 'year', false)] })).toBeNull();
  });

  it('places nothing without buckets', () => {
    expect(bodyBuckets(bodies, 0).size).toBe(0);
  });
});
