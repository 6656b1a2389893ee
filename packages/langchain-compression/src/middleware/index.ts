export { type CompressionMiddlewareOptions, compressionMiddleware } from './compression-middleware';
