import { CacheStoreError, type VectorIndex, type VectorMatch } from '@tokenomics/core';
import { describe } from './postgres-cache-store';
import type { PostgresRunner } from './postgres-runner';
import type { PostgresTables } from './postgres-schema';

/** Rows per INSERT in `addMany` (two parameters each; PostgreSQL allows 65,535). */
const ROWS_PER_STATEMENT = 256;

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
 * partition's neighbours out of the result (no post-filter misses).
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
      await this.call(
        'add',
        `INSERT INTO ${this.table} (namespace, key, partition, embedding) VALUES ${values.join(', ')}
         ON CONFLICT (namespace, key) DO UPDATE SET partition = excluded.partition, embedding = excluded.embedding`,
        [this.options.namespace, partition, ...rows.flatMap(([key, vector]) => [key, vectorBinary(vector)])],
        this.runner.timeoutMs * rows.length,
      );
    }
  }

  async search(partition: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    const { sql, params } = this.searchStatement(partition, vector, k);
    const rows = await this.call('search', sql, params);
    return rows.map((row) => ({ key: row.key as string, similarity: Number(row.similarity) }));
  }

  /**
   * The plan the server chooses for this search (`EXPLAIN` of the very statement `search`
   * runs): whether the HNSW index answers it, or an exact scan of the partition.
   */
  async explainSearch(partition: string, vector: Float32Array, k: number): Promise<string> {
    const { sql, params } = this.searchStatement(partition, vector, k);
    const rows = await this.call('explain', `EXPLAIN ${sql}`, params);
    return rows.map((row) => String(row['QUERY PLAN'])).join('\n');
  }

  private searchStatement(partition: string, vector: Float32Array, k: number) {
    const problem = vectorProblem(vector, this.options.dimensions);
    if (problem) throw new CacheStoreError(`search vector refused: ${problem}`);
    return {
      sql: `SELECT v.key, 1 - (v.embedding <=> $3::vector) AS similarity
       FROM ${this.table} v
       LEFT JOIN ${this.tables.entries} e ON e.namespace = v.namespace AND e.key = v.key
       WHERE v.namespace = $1 AND v.partition = $2 AND (e.expires_at IS NULL OR e.expires_at > $5)
       ORDER BY v.embedding <=> $3::vector
       LIMIT $4`,
      params: [this.options.namespace, partition, vectorBinary(vector), k, Date.now()],
    };
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call('delete', `DELETE FROM ${this.table} WHERE namespace = $1 AND key = ANY($2)`, [
      this.options.namespace,
      keys,
    ]);
  }

  private async call(
    operation: string,
    sql: string,
    params: unknown[],
    timeoutMs?: number,
  ): Promise<Record<string, unknown>[]> {
    try {
      return await this.runner.query(sql, params, timeoutMs);
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
