import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { coalescerFor } from '@tokenomics/core/internal';
import { createMiddleware } from 'langchain';
import { CachedChatModel, type WithStreamingCacheOptions } from '../cached-chat-model';
import type { TokenomicsCache } from '../tokenomics-cache';

export type CacheMiddlewareOptions = WithStreamingCacheOptions & {
  /** The cache the agent's model calls are served from (exact, then semantic, within its scope). */
  cache: TokenomicsCache;
};

/**
 * `createAgent` middleware that serves the agent's model calls from a `TokenomicsCache`: each call
 * goes through a `CachedChatModel` around the model the call would use, so the cache sees the real
 * messages, the bound tools and the response format in its key; a hit is replayed (as tokens when
 * the agent streams) without calling the model, and a miss stores the model's answer.
 *
 * Put it after middleware that replaces the model (e.g. `routerMiddleware`), so the cache sits in
 * front of the model that will answer.
 */
export function cacheMiddleware(options: CacheMiddlewareOptions) {
  const { cache, coalesce, coalesceTimeoutMs } = options;
  // One registry of calls in flight for every model call of every agent using this middleware.
  const inFlight = coalescerFor(coalesce, coalesceTimeoutMs) ?? false;
  const wrappers = new WeakMap<BaseChatModel, CachedChatModel>();
  const cachedModel = async (model: unknown): Promise<CachedChatModel | undefined> => {
    const chatModel = await chatModelOf(model);
    if (!chatModel) return undefined;
    let wrapper = wrappers.get(chatModel);
    if (!wrapper) {
      wrapper = new CachedChatModel({ model: chatModel, cache, coalesce: inFlight, coalesceTimeoutMs });
      wrappers.set(chatModel, wrapper);
    }
    return wrapper;
  };
  return createMiddleware({
    name: 'TokenomicsCacheMiddleware',
    wrapModelCall: async (request, handler) => {
      const model = await cachedModel(request.model);
      if (!model) {
        warnOnce('the agent model is not a chat model instance; its calls are not cached.');
        return handler(request);
      }
      return handler({ ...request, model });
    },
  });
}

/** The chat model behind the agent's model: an instance, or the one `initChatModel` resolves to. */
async function chatModelOf(model: unknown): Promise<BaseChatModel | undefined> {
  if (isConfigurable(model)) return chatModelOf(await model._getModelInstance());
  return model instanceof BaseChatModel ? model : undefined;
}

function isConfigurable(model: unknown): model is { _getModelInstance(): Promise<unknown> } {
  return (
    typeof model === 'object' &&
    model !== null &&
    typeof (model as { _getModelInstance?: unknown })._getModelInstance === 'function'
  );
}

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(`[tokenomics] cacheMiddleware: ${message}`);
}
