export {
  type CreatePostgresCacheOptions,
  createPostgresCache,
  migratePostgres,
  type OpenPostgresCacheOptions,
  openPostgresBanditStateStore,
  openPostgresCache,
  type PostgresCache,
  type PostgresConnectionOptions,
} from './open-postgres-stores';
export { MAX_UPDATE_ATTEMPTS, PostgresBanditStateStore } from './postgres-bandit-state-store';
export { PostgresCacheStore } from './postgres-cache-store';
export { DEFAULT_POSTGRES_TIMEOUT_MS, PostgresTimeoutError } from './postgres-runner';
export { type PostgresSchemaOptions, postgresSchema } from './postgres-schema';
export { PostgresVectorIndex } from './postgres-vector-index';
