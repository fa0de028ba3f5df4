/** Every corpus report with a truth file parses to exactly that truth. */
import { describe, expect, test } from 'vitest';
import { asTruthShape, parseCorpus, truth, truthIds } from './helpers/corpus.js';

describe.each(truthIds())('corpus report %s', (id) => {
  const expected = truth(id);

  test('template and year', async () => {
    const { json } = await parseCorpus(id);
    expect(json.template).toBe(expected.template);
    expect(json.meta.year).toBe(expected.year);
  });

  test('agency names the body', async () => {
    const { json } = await parseCorpus(id);
    // The truth annotates names in brackets; the report's own name must contain the stem.
    const stem = expected.agency.replace(/（.*?）/g, '');
    expect(json.meta.agency ?? '').toContain(stem.slice(0, 4));
  });

  test('every number and every null as published', async () => {
    const { json } = await parseCorpus(id);
    const actual = asTruthShape(json, expected.template);
    const wanted = { requests: expected.requests, review: expected.review, active: { ...expected.active } };
    if (expected.template === '2019') wanted.active.fees = null;
    // A cell the truth marks as legitimately ambiguous in this form may be null, never another number.
    for (const ref of expected.ambiguousOk ?? []) {
      const key = ref.replace('active.', '') as keyof typeof wanted.active;
      if (actual.active[key] === null) wanted.active[key] = null;
    }
    expect(actual).toEqual(wanted);
  });
});
