import { CacheStoreError } from '@tokenomics/core';
import { openPostgresCache } from '@tokenomics/store-postgres';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { freePort, PgliteServerProcess, pgliteServerForSuite } from './server-processes';

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
  const pglite = pgliteServerForSuite();

  async function open(namespace: string) {
    const postgres = await openPostgresCache({
      connectionString: pglite().url,
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

// The plan PostgreSQL picks for a scoped search depends on the scope's size: the test loads
// 512-number vectors (where the planner, left alone, sorts a large scope instead of using HNSW)
// in four scopes of 1,500 and one of 3, with SQL (a bulk load without the index, then the
// store's migration builds it, then ANALYZE as autovacuum would), and checks what a user gets.
describe('PostgresVectorIndex.search plans by scope size (PGlite over the wire protocol)', () => {
  const WIDE = 512;
  let server: PgliteServerProcess;
  let postgres: Awaited<ReturnType<typeof openPostgresCache>>;
  const tiny = [0, 1, 2].map((item) => spread(WIDE, 1000 + item));

  beforeAll(async () => {
    server = new PgliteServerProcess(await freePort());
    await server.start();
    const options = { connectionString: server.url, maxConnections: 1, timeoutMs: 20_000 };
    const load = await openPostgresCache({ ...options, namespace: 'plan', dimensions: WIDE });
    await load.pool.query(`DROP INDEX tokenomics_vectors_${WIDE}_hnsw`);
    await load.pool.query(`CREATE FUNCTION noise(i int, d int) RETURNS float8 IMMUTABLE LANGUAGE sql
      AS 'SELECT sin(i * 12.9898 + d * 78.233) * 43758.5453 - floor(sin(i * 12.9898 + d * 78.233) * 43758.5453) - 0.5'`);
    await load.pool.query(
      `INSERT INTO tokenomics_vectors_${WIDE} (namespace, key, partition, embedding)
       SELECT 'plan', 'k' || i, 'large-' || (i % 4),
         (SELECT array_agg(noise(i, d))::real[] FROM generate_series(1, ${WIDE}) d)::vector
       FROM generate_series(0, 5999) i`,
    );
    await load.vectorIndex!.addMany(
      'tiny',
      tiny.map((vector, item) => ({ key: `tiny-${item}`, vector })),
    );
    await load.close();
    postgres = await openPostgresCache({ ...options, namespace: 'plan', dimensions: WIDE });
    await postgres.pool.query(`ANALYZE tokenomics_vectors_${WIDE}`);
  }, 240_000);
  afterAll(async () => {
    await postgres?.close();
    await server?.stop();
  });

  it('searches a large scope through the HNSW index and finds a stored vector first', async () => {
    const index = postgres.vectorIndex!;
    const stored = spreadInSql(WIDE, 41);
    expect(await index.explainSearch('large-1', stored, 10)).toMatch(
      /Index Scan using tokenomics_vectors_512_hnsw/,
    );
    const found = await index.search('large-1', stored, 10);
    expect(found).toHaveLength(10);
    expect(found[0]?.key).toBe('k41');
    expect(found[0]?.similarity).toBeCloseTo(1, 4);
    expect(found.every((match) => Number(match.key.slice(1)) % 4 === 1)).toBe(true);
  });

  it('answers in full when the index scan comes back short: the exact top k of the scope', async () => {
    const index = postgres.vectorIndex!;
    // The pool's one connection is the store's. Without the iterative scan pgvector filters the
    // first 100 candidates (ef_search) and stops: about 25 from this scope, short of 50.
    await postgres.pool.query('SET hnsw.iterative_scan = off');
    onTestFinished(async () => {
      await postgres.pool.query('SET hnsw.iterative_scan = strict_order');
    });
    const query = spreadInSql(WIDE, 77);
    const exact = Array.from({ length: 1500 }, (_, item) => 4 * item + 2)
      .map((row) => ({ key: `k${row}`, similarity: cosine(spreadInSql(WIDE, row), query) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 50);
    expect(await index.explainSearch('large-2', query, 50)).toMatch(/_hnsw/);
    const found = await index.search('large-2', query, 50);
    expect(found.map((match) => match.key)).toEqual(exact.map((match) => match.key));
  });

  it('returns every row of a 3-row scope among 6,000 others, in order of similarity', async () => {
    const index = postgres.vectorIndex!;
    const query = tiny[1]!;
    expect(await index.explainSearch('tiny', query, 10)).not.toMatch(/_hnsw/);
    const found = await index.search('tiny', query, 10);
    const expected = tiny
      .map((vector, item) => ({ key: `tiny-${item}`, similarity: cosine(vector, query) }))
      .sort((a, b) => b.similarity - a.similarity);
    expect(found.map((match) => match.key)).toEqual(expected.map((match) => match.key));
    for (const [item, match] of found.entries())
      expect(match.similarity).toBeCloseTo(expected[item]!.similarity, 4);
  });
});

/** What the bulk load stores for row `seed`: a pseudo-random number in [-0.5, 0.5) per dimension. */
function spreadInSql(length: number, seed: number): Float32Array {
  return Float32Array.from({ length }, (_, d) => {
    const wave = Math.sin(seed * 12.9898 + (d + 1) * 78.233) * 43758.5453;
    return wave - Math.floor(wave) - 0.5;
  });
}

/** A vector unlike the loaded ones (a different pattern of signs). */
function spread(length: number, seed: number): Float32Array {
  return Float32Array.from({ length }, (_, d) => Math.cos(seed * 0.37 + d * d * 0.011));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let d = 0; d < a.length; d++) {
    dot += a[d]! * b[d]!;
    normA += a[d]! * a[d]!;
    normB += b[d]! * b[d]!;
  }
  return dot / Math.sqrt(normA * normB);
}
