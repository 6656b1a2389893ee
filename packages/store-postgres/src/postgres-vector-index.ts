import { CacheStoreError, type VectorIndex, type VectorMatch } from '@tokenomics/core';
import { describe } from './postgres-cache-store';
import type { PostgresRunner } from './postgres-runner';
import type { PostgresTables } from './postgres-schema';

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
    const problem = vectorProblem(vector, this.options.dimensions);
    if (problem) throw new CacheStoreError(`vector for ${key.slice(0, 12)} refused: ${problem}`);
    await this.call(
      'add',
      `INSERT INTO ${this.table} (namespace, key, partition, embedding) VALUES ($1, $2, $3, $4)
       ON CONFLICT (namespace, key) DO UPDATE SET partition = excluded.partition, embedding = excluded.embedding`,
      [this.options.namespace, key, partition, vectorLiteral(vector)],
    );
  }

  async search(partition: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    const problem = vectorProblem(vector, this.options.dimensions);
    if (problem) throw new CacheStoreError(`search vector refused: ${problem}`);
    const rows = await this.call(
      'search',
      `SELECT v.key, 1 - (v.embedding <=> $3::vector) AS similarity
       FROM ${this.table} v
       LEFT JOIN ${this.tables.entries} e ON e.namespace = v.namespace AND e.key = v.key
       WHERE v.namespace = $1 AND v.partition = $2 AND (e.expires_at IS NULL OR e.expires_at > $5)
       ORDER BY v.embedding <=> $3::vector
       LIMIT $4`,
      [this.options.namespace, partition, vectorLiteral(vector), k, Date.now()],
    );
    return rows.map((row) => ({ key: row.key as string, similarity: Number(row.similarity) }));
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call('delete', `DELETE FROM ${this.table} WHERE namespace = $1 AND key = ANY($2)`, [
      this.options.namespace,
      keys,
    ]);
  }

  private async call(operation: string, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    try {
      return await this.runner.query(sql, params);
    } catch (error) {
      throw new CacheStoreError(`PostgreSQL vector ${operation} failed: ${describe(error)}`, {
        cause: error,
      });
    }
  }
}

function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

function vectorProblem(vector: Float32Array, dimensions: number): string | undefined {
  if (!(vector instanceof Float32Array)) return 'not a Float32Array';
  if (vector.length !== dimensions) return `${vector.length} dimensions, the table holds ${dimensions}`;
  if (!vector.every(Number.isFinite)) return 'a non-finite number';
  return undefined;
}
