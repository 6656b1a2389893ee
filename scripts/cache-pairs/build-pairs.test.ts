import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPairs, hardPairs } from './build-pairs';

const datasets = resolve(__dirname, '../../../shared/datasets');

describe.skipIf(!existsSync(resolve(datasets, 'cache')))('buildPairs', () => {
  // Built in a hook, not while collecting: without ../shared the suite is skipped, not failed.
  let splits: ReturnType<typeof buildPairs>;
  beforeAll(() => {
    splits = buildPairs({ datasets, seed: 7, templates: 90 });
  }, 60_000);

  it('builds the same pairs for the same seed', { timeout: 60_000 }, () => {
    const again = buildPairs({ datasets, seed: 7, templates: 90 });
    expect(again.test).toEqual(splits.test);
    expect(buildPairs({ datasets, seed: 8, templates: 90 }).test).not.toEqual(splits.test);
  });

  it('never puts a source row in two splits', () => {
    const rowsOf = (split: keyof typeof splits) => new Set(splits[split].map((pair) => pair.row));
    const train = rowsOf('train');
    for (const row of rowsOf('test')) expect(train.has(row)).toBe(false);
    for (const row of rowsOf('validation')) expect(train.has(row)).toBe(false);
  });

  it('has positives and every kind of look-alike, and hard sets without unrelated pairs', () => {
    const kinds = new Set(splits.train.map((pair) => pair.kind));
    for (const kind of [
      'paraphrase',
      'number',
      'entity',
      'negation',
      'order',
      'antonym',
      'neighbour',
      'unrelated',
      'identical',
      'near-identical',
      'substitution',
      'same-subject',
    ]) {
      expect(kinds.has(kind as never)).toBe(true);
    }
    const hard = hardPairs(splits.test);
    expect(hard.some((pair) => pair.kind === 'unrelated')).toBe(false);
    expect(hard.some((pair) => pair.kind === 'identical')).toBe(false);
    expect(
      hard.every(
        (pair) => (pair.kind === 'paraphrase' || pair.kind === 'near-identical') === (pair.label === 1),
      ),
    ).toBe(true);
  });

  it('adds the same question asked again as a positive and one swapped word as a negative', () => {
    const identical = splits.train.filter((pair) => pair.kind === 'identical');
    expect(identical.length).toBeGreaterThan(100);
    expect(identical.every((pair) => pair.a === pair.b && pair.label === 1)).toBe(true);
    const swapped = splits.train.filter((pair) => pair.kind === 'substitution');
    expect(swapped.length).toBeGreaterThan(100);
    expect(swapped.every((pair) => pair.label === 0 && pair.a !== pair.b)).toBe(true);
  });
});
