import { createMiddleware } from 'langchain';
import { RouterChatModel, type RouterChatModelFields } from '../router-chat-model';

/**
 * `createAgent` middleware that routes each of the agent's model calls between tiers: every call
 * goes to one `RouterChatModel` (given, or built from `fields`), so its policy (classifier prior,
 * bandit, cascade) learns across calls, and the agent's tools, structured output and streaming
 * pass through it as they do through any chat model. The agent's own `model` is not called.
 *
 * With `cacheMiddleware`, list this one first: the cache then wraps the router, and a hit costs no
 * routed call.
 */
export function routerMiddleware(router: RouterChatModel | RouterChatModelFields) {
  const model = isRouterModel(router) ? router : new RouterChatModel(router);
  return createMiddleware({
    name: 'TokenomicsRouterMiddleware',
    wrapModelCall: (request, handler) => {
      if (isCachedModel(request.model)) warnOnce();
      return handler({ ...request, model });
    },
  });
}

/**
 * A router model, recognised by its type rather than `instanceof`: the root and this entry share
 * one build chunk, but a router built by another installed copy of the package is another class's
 * instance.
 */
function isRouterModel(value: RouterChatModel | RouterChatModelFields): value is RouterChatModel {
  return llmType(value) === 'tokenomics-router';
}

/** `@tokenomics/langchain-cache`'s wrapper, recognised without importing that package. */
function isCachedModel(model: unknown): boolean {
  return llmType(model) === 'tokenomics-cached';
}

function llmType(model: unknown): string | undefined {
  if (typeof model !== 'object' || model === null) return undefined;
  const method = (model as { _llmType?: unknown })._llmType;
  return typeof method === 'function' ? String(method.call(model)) : undefined;
}

let warned = false;
function warnOnce(): void {
  if (warned) return;
  warned = true;
  console.warn(
    '[tokenomics] routerMiddleware replaced a cached model: list routerMiddleware before cacheMiddleware, or the cache is skipped.',
  );
}
