import type { CacheEngine, CacheWarning } from '@tokenomics/core';
import { TokenomicsCache, type TokenomicsCacheEvent, withStreamingCache } from '@tokenomics/langchain-cache';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';

/**
 * A LangChain chat model behind a Tokenomics cache on the engine under test, recording what a
 * user would see: which answers came from the model, the warnings, and the trace events.
 */
export function cachedModel(engine: CacheEngine, warnings: CacheWarning[]) {
  const events: TokenomicsCacheEvent[] = [];
  const model = new ScriptedChatModel({ answers: (question) => ({ text: `model answer to: ${question}` }) });
  const cache = new TokenomicsCache({
    engine,
    onWarning: (warning) => warnings.push(warning),
    onEvent: (event) => events.push(event),
  });
  const cached = withStreamingCache(model, cache);
  /** Asks, and says whether the answer came from the cache. */
  const ask = async (question: string) => {
    const before = model.calls.length;
    const message = await cached.invoke(question);
    return { text: String(message.content), fromModel: model.calls.length > before };
  };
  return { ask, events, model };
}

/** Waits until `check` holds, polling every 50 ms, at most `waitMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, waitMs = 20_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
