import { CacheStoreError } from '@tokenomics/core';
import { openPostgresCache } from '@tokenomics/store-postgres';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { freePort, PgliteServerProcess } from './server-processes';

const DIMENSIONS = 8;

/** A unit vector pointing mostly along `axis`, a little along the next one. */
function along(axis: number, lean = 0.1): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  vector[axis % DIMENSIONS] = 1;
  vector[(axis + 1) % DIMENSIONS] = lean;
  return vector;
}

// PGlite (PostgreSQL + pgvector, a dev dependency) over the wire protocol, started by the test:
// it always runs. PGlite serves one connection at a time: one pool of one connection.
describe('PostgresVectorIndex.addMany (PGlite over the wire protocol)', () => {
  let server: PgliteServerProcess;
  beforeAll(async () => {
    server = new PgliteServerProcess(await freePort());
    await server.start();
  }, 120_000);
  afterAll(() => server?.stop());

  async function open(namespace: string) {
    const postgres = await openPostgresCache({
      connectionString: server.url,
      maxConnections: 1,
      timeoutMs: 5_000,
      namespace,
      dimensions: DIMENSIONS,
    });
    onTestFinished(() => postgres.close());
    return postgres.vectorIndex!;
  }

  it('stores a batch in its partition: searches find it there and only there', async () => {
    const index = await open('bulk-scope');
    await index.addMany('tenant-a', [
      { key: 'a0', vector: along(0) },
      { key: 'a1', vector: along(3) },
    ]);
    await index.addMany('tenant-b', [{ key: 'b0', vector: along(0) }]);
    const inA = await index.search('tenant-a', along(0), 10);
    expect(inA.map((match) => match.key)).toEqual(['a0', 'a1']);
    expect(inA[0]?.similarity).toBeCloseTo(1, 5);
    expect((await index.search('tenant-b', along(0), 10)).map((match) => match.key)).toEqual(['b0']);
    expect(await index.search('tenant-c', along(0), 10)).toEqual([]);
  });

  it('refuses the whole batch, writing nothing, when one vector has the wrong length or a NaN', async () => {
    const index = await open('bulk-refused');
    const good = Array.from({ length: 300 }, (_, item) => ({ key: `good-${item}`, vector: along(item) }));
    const short = { key: 'short', vector: new Float32Array(DIMENSIONS - 1).fill(0.5) };
    await expect(index.addMany('p', [...good, short])).rejects.toThrow(CacheStoreError);
    await expect(index.addMany('p', [...good, short])).rejects.toThrow(/7 dimensions/);
    const broken = along(2);
    broken[4] = Number.NaN;
    await expect(index.addMany('p', [...good, { key: 'nan', vector: broken }])).rejects.toThrow(/non-finite/);
    expect(await index.search('p', along(0), 10)).toEqual([]);
  });

  it('stores batches larger than one statement, and a key given twice keeps its last vector', async () => {
    const index = await open('bulk-large');
    const items = Array.from({ length: 600 }, (_, item) => ({
      key: `k${item}`,
      vector: along(item, item / 1200),
    }));
    await index.addMany('p', [...items, { key: 'k7', vector: along(5, 0.9) }]);
    const found = new Set<string>();
    for (let axis = 0; axis < DIMENSIONS; axis++)
      for (const match of await index.search('p', along(axis, 0.5), 600)) found.add(match.key);
    expect(found.size).toBe(600);
    const [nearest] = await index.search('p', along(5, 0.9), 1);
    expect(nearest?.key).toBe('k7');
    expect(nearest?.similarity).toBeCloseTo(1, 5);
  });

  it('moves a key written again under another partition', async () => {
    const index = await open('bulk-move');
    await index.add('old', 'moved', along(1));
    await index.addMany('new', [{ key: 'moved', vector: along(1) }]);
    expect(await index.search('old', along(1), 10)).toEqual([]);
    expect((await index.search('new', along(1), 10)).map((match) => match.key)).toEqual(['moved']);
  });

  it('explains a search with the plan of the statement it runs, on its own vector table', async () => {
    const index = await open('bulk-explain');
    await index.addMany('p', [{ key: 'e0', vector: along(0) }]);
    const plan = await index.explainSearch('p', along(0), 10);
    expect(plan).toMatch(/^Limit/);
    expect(plan).toContain(`tokenomics_vectors_${DIMENSIONS}`);
    await expect(index.explainSearch('p', new Float32Array(3), 10)).rejects.toThrow(/3 dimensions/);
  });
});
