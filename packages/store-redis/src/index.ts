export {
  type OpenRedisBanditStateStoreOptions,
  openRedisBanditStateStore,
} from './open-redis-bandit-state-store';
export {
  type CreateRedisCacheOptions,
  createRedisCache,
  type OpenRedisCacheOptions,
  openRedisCache,
  type RedisCache,
} from './open-redis-cache';
export { MAX_UPDATE_ATTEMPTS, RedisBanditStateStore } from './redis-bandit-state-store';
export { DEFAULT_REDIS_MAX_ENTRIES, RedisCacheStore } from './redis-cache-store';
export {
  DEFAULT_REDIS_CONNECT_WAIT_MS,
  DEFAULT_REDIS_TIMEOUT_MS,
  type RedisConnectionOptions,
} from './redis-connection';
export { RedisInFlightAnswers, type RedisInFlightAnswersOptions } from './redis-in-flight-answers';
export { DEFAULT_VECTOR_LOG_LENGTH, RedisVectorIndex } from './redis-vector-index';
