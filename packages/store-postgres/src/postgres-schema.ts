/** Names of the tables and indexes, from one prefix (default `tokenomics`). */
export type PostgresTables = {
  entries: string;
  bandit: string;
  /** The vector table of one dimension count: `{prefix}_vectors_{dimensions}`. */
  vectors(dimensions: number): string;
};

export function postgresTables(tablePrefix = 'tokenomics'): PostgresTables {
  if (!/^[a-z_][a-z0-9_]*$/.test(tablePrefix))
    throw new Error(`table prefix ${JSON.stringify(tablePrefix)} must be a lower-case SQL identifier`);
  return {
    entries: `${tablePrefix}_entries`,
    bandit: `${tablePrefix}_bandit_state`,
    vectors: (dimensions) => `${tablePrefix}_vectors_${dimensions}`,
  };
}

export type PostgresSchemaOptions = {
  /** Vector length of the embedder; omit for no vector table (exact cache and bandit state only). */
  dimensions?: number;
  /** First part of every table name. Default 'tokenomics'. */
  tablePrefix?: string;
};

/**
 * The SQL that creates everything the stores use, idempotent (`IF NOT EXISTS`): run by
 * `migratePostgres`, or printed for teams that manage their own migrations. The vector table
 * needs the pgvector extension; its HNSW index uses cosine distance.
 */
export function postgresSchema(options: PostgresSchemaOptions = {}): string {
  const tables = postgresTables(options.tablePrefix);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${tables.entries} (
  namespace text NOT NULL,
  key text NOT NULL,
  partition text NOT NULL,
  scope_key text NOT NULL,
  payload text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  expires_at bigint,
  size integer NOT NULL,
  last_used bigint NOT NULL,
  PRIMARY KEY (namespace, key)
)`,
    `CREATE INDEX IF NOT EXISTS ${tables.entries}_tags ON ${tables.entries} USING gin (tags)`,
    `CREATE INDEX IF NOT EXISTS ${tables.entries}_scope ON ${tables.entries} (namespace, scope_key)`,
    `CREATE INDEX IF NOT EXISTS ${tables.entries}_expiry ON ${tables.entries} (namespace, expires_at) WHERE expires_at IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS ${tables.entries}_recency ON ${tables.entries} (namespace, last_used)`,
    `CREATE TABLE IF NOT EXISTS ${tables.bandit} (
  namespace text NOT NULL,
  bandit_id text NOT NULL,
  meta text NOT NULL,
  data bytea NOT NULL,
  version bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (namespace, bandit_id)
)`,
  ];
  const dimensions = options.dimensions;
  if (dimensions !== undefined) {
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 2_000)
      throw new Error(
        `dimensions must be an integer from 1 to 2000 (pgvector's HNSW limit), not ${dimensions}`,
      );
    const vectors = tables.vectors(dimensions);
    statements.unshift('CREATE EXTENSION IF NOT EXISTS vector');
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${vectors} (
  namespace text NOT NULL,
  key text NOT NULL,
  partition text NOT NULL,
  embedding vector(${dimensions}) NOT NULL,
  PRIMARY KEY (namespace, key)
)`,
      `CREATE INDEX IF NOT EXISTS ${vectors}_hnsw ON ${vectors} USING hnsw (embedding vector_cosine_ops)`,
      `CREATE INDEX IF NOT EXISTS ${vectors}_partition ON ${vectors} (namespace, partition)`,
    );
  }
  return `${statements.join(';\n\n')};\n`;
}
