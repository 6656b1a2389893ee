import { CacheStoreError, type VectorIndex, type VectorMatch } from '@tokenomics/core';
import pg from 'pg';
import { describe } from './postgres-cache-store';
import type { PostgresRunner } from './postgres-runner';
import type { PostgresTables } from './postgres-schema';

/** Rows per INSERT in `addMany` (two parameters each; PostgreSQL allows 65,535). */
const ROWS_PER_STATEMENT = 256;

/** A partition below this many rows is always searched exactly (see `search`). */
const EXACT_SCAN_MIN_ROWS = 1000;
/** pgvector's `hnsw.ef_search` as the runner sets it: the exact-scan limit is √(this × table rows). */
const EXACT_SCAN_FACTOR = 100;

export type PostgresVectorIndexOptions = {
  namespace: string;
  /** The embedder's vector length; the table holds exactly this many dimensions. */
  dimensions: number;
};

/**
 * Semantic search in PostgreSQL with pgvector: one row per vector, an HNSW index on cosine
 * distance. The partition (scope, model, settings, system prompt, tools, embedder) and the
 * entry's expiry are SQL conditions of the search itself, and pgvector's iterative index scan
 * (`hnsw.iterative_scan = strict_order`, set on each connection by the runner) keeps reading the
 * graph until it has k rows that pass them: a busy partition next door cannot crowd a small
 * partition's neighbours out of the result (no post-filter misses). Each search picks its plan
 * by the partition's size: the HNSW index for a large one, an exact scan for a small one.
 */
export class PostgresVectorIndex implements VectorIndex {
  private readonly table: string;

  constructor(
    private readonly runner: PostgresRunner,
    private readonly tables: PostgresTables,
    private readonly options: PostgresVectorIndexOptions,
  ) {
    this.table = tables.vectors(options.dimensions);
  }

  async add(partition: string, key: string, vector: Float32Array): Promise<void> {
    await this.addMany(partition, [{ key, vector }]);
  }

  /**
   * Stores many vectors of one partition: every vector is checked first, and one malformed or
   * of another length refuses the whole call (a CacheStoreError) with nothing written. Rows
   * go in multi-row statements of up to 256 (a key given twice keeps its last vector), each with
   * the time bound of a single add per row: what to use to load a cache's vectors in bulk.
   */
  async addMany(
    partition: string,
    items: ReadonlyArray<{ key: string; vector: Float32Array }>,
  ): Promise<void> {
    for (const item of items) {
      const problem = vectorProblem(item.vector, this.options.dimensions);
      if (problem) throw new CacheStoreError(`vector for ${item.key.slice(0, 12)} refused: ${problem}`);
    }
    const latest = [...new Map(items.map((item) => [item.key, item.vector])).entries()];
    for (let start = 0; start < latest.length; start += ROWS_PER_STATEMENT) {
      const rows = latest.slice(start, start + ROWS_PER_STATEMENT);
      const values = rows.map((_, row) => `($1, $${3 + 2 * row}, $2, $${4 + 2 * row}::vector)`);
      await this.call('add', () =>
        this.runner.query(
          `INSERT INTO ${this.table} (namespace, key, partition, embedding) VALUES ${values.join(', ')}
         ON CONFLICT (namespace, key) DO UPDATE SET partition = excluded.partition, embedding = excluded.embedding`,
          [
            this.options.namespace,
            partition,
            ...rows.flatMap(([key, vector]) => [key, vectorBinary(vector)]),
          ],
          this.runner.timeoutMs * rows.length,
        ),
      );
    }
  }

  /**
   * The k nearest vectors of the partition. One round trip decides the plan and runs it: a
   * partition of at least max(1,000, √(100 × table rows)) rows is searched through the HNSW
   * index (an exact scan reads every row of the partition; a filtered HNSW scan reads about
   * `ef_search` × table rows ÷ partition rows, so this is where the two costs cross), with
   * sorting switched off for that statement only, since PostgreSQL's planner prices a 512-number
   * distance like any cheap operator and would otherwise sort the whole partition. A smaller
   * partition gets an exact scan (index scans off, so not the HNSW index either). An index search that returns fewer than k rows while the
   * partition holds more (the iterative scan stopped at `hnsw.max_scan_tuples`) is run again as
   * an exact scan: a result is never silently short.
   */
  async search(partition: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    const [decision, found] = await this.searchScript(partition, vector, k, 'chosen');
    const scopeRows = Number(decision?.[0]?.scope_rows ?? 0);
    const rows =
      found.length < Math.min(k, scopeRows)
        ? (await this.searchScript(partition, vector, k, 'exact'))[1]
        : found;
    return rows.map((row) => ({ key: row.key as string, similarity: Number(row.similarity) }));
  }

  /**
   * The plan the server chooses for this search: `EXPLAIN` of the very statement `search` runs
   * first, after the same plan decision (the HNSW index, or an exact scan of the partition).
   */
  async explainSearch(partition: string, vector: Float32Array, k: number): Promise<string> {
    const [, rows] = await this.searchScript(partition, vector, k, 'explain');
    return rows.map((row) => String(row['QUERY PLAN'])).join('\n');
  }

  /**
   * Two statements in one round trip (the simple protocol, whose statements share one implicit
   * transaction): the first sets how the second is planned, for this transaction only; the
   * second is the search. `chosen` and `explain` count the partition's rows up to the exact-scan
   * limit: at the limit they turn sorting off (the HNSW index is left as the plan), below it index
   * scans (the partition's rows are read through a bitmap of its B-tree and sorted: exact);
   * `exact` turns index scans off without counting. The values are
   * literals (the simple protocol has no parameters): `escapeLiteral` for text, and the vector's
   * floats, checked finite first, in pgvector's text form.
   */
  private async searchScript(
    partition: string,
    vector: Float32Array,
    k: number,
    mode: 'chosen' | 'explain' | 'exact',
  ): Promise<[Record<string, unknown>[] | undefined, Record<string, unknown>[]]> {
    const problem = vectorProblem(vector, this.options.dimensions);
    if (problem) throw new CacheStoreError(`search vector refused: ${problem}`);
    if (!Number.isInteger(k) || k < 1)
      throw new CacheStoreError(`search k must be a positive integer, not ${k}`);
    const scope = `v.namespace = ${pg.escapeLiteral(this.options.namespace)} AND v.partition = ${pg.escapeLiteral(partition)}`;
    const query = `'[${Array.from(vector, String).join(',')}]'::vector`;
    const plan =
      mode === 'exact'
        ? `SELECT set_config('enable_indexscan', 'off', true)`
        : `WITH limits AS (
          SELECT greatest(${EXACT_SCAN_MIN_ROWS}, sqrt(${EXACT_SCAN_FACTOR} * greatest(reltuples, 0)))::bigint AS rows
          FROM pg_class WHERE oid = '${this.table}'::regclass
        ), scope AS (
          SELECT count(*) AS rows
          FROM (SELECT 1 FROM ${this.table} v WHERE ${scope} LIMIT (SELECT rows FROM limits)) s
        )
        SELECT scope.rows AS scope_rows,
          set_config('enable_sort', CASE WHEN scope.rows >= limits.rows THEN 'off' ELSE 'on' END, true),
          set_config('enable_indexscan', CASE WHEN scope.rows >= limits.rows THEN 'on' ELSE 'off' END, true)
        FROM scope, limits`;
    const search = `${mode === 'explain' ? 'EXPLAIN ' : ''}SELECT v.key, 1 - (v.embedding <=> ${query}) AS similarity
       FROM ${this.table} v
       LEFT JOIN ${this.tables.entries} e ON e.namespace = v.namespace AND e.key = v.key
       WHERE ${scope} AND (e.expires_at IS NULL OR e.expires_at > ${Date.now()})
       ORDER BY v.embedding <=> ${query}
       LIMIT ${k}`;
    const operation = mode === 'explain' ? 'explain' : 'search';
    const [decision, rows] = await this.call(operation, () => this.runner.script(`${plan};\n${search}`));
    return [decision, rows ?? []];
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call('delete', () =>
      this.runner.query(`DELETE FROM ${this.table} WHERE namespace = $1 AND key = ANY($2)`, [
        this.options.namespace,
        keys,
      ]),
    );
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new CacheStoreError(`PostgreSQL vector ${operation} failed: ${describe(error)}`, {
        cause: error,
      });
    }
  }
}

/**
 * pgvector's binary form (length and a reserved word as int16, then big-endian float32s): `pg`
 * sends a Buffer parameter as binary, so the server reads the floats instead of parsing text,
 * several times faster per vector.
 */
function vectorBinary(vector: Float32Array): Buffer {
  const bytes = Buffer.alloc(4 + 4 * vector.length);
  bytes.writeUInt16BE(vector.length, 0);
  for (let position = 0; position < vector.length; position++)
    bytes.writeFloatBE(vector[position] as number, 4 + 4 * position);
  return bytes;
}

function vectorProblem(vector: Float32Array, dimensions: number): string | undefined {
  if (!(vector instanceof Float32Array)) return 'not a Float32Array';
  if (vector.length !== dimensions) return `${vector.length} dimensions, the table holds ${dimensions}`;
  if (!vector.every(Number.isFinite)) return 'a non-finite number';
  return undefined;
}
