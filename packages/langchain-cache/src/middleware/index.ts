export { type CacheMiddlewareOptions, cacheMiddleware } from './cache-middleware';
