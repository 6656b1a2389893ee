import { HashingEmbedder, SemanticCache } from '@tokenomics/core';
import { TokenomicsCache, withStreamingCache } from '@tokenomics/langchain-cache';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { openRedisCache, type RedisCache } from '@tokenomics/store-redis';
import { afterEach, expect, it } from 'vitest';
import { describeWithServer } from './servers';

/** A model that takes a while to answer, so identical calls overlap; it can be told to fail. */
class SlowModel extends ScriptedChatModel {
  constructor(private readonly fail = false) {
    super({ answers: (question) => ({ text: `model answer to: ${question}` }) });
  }

  override async _generate(...args: Parameters<ScriptedChatModel['_generate']>) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (this.fail) {
      this.calls.push({ messages: args[0], options: args[1], streamed: false, chunksSent: 0 });
      throw new Error('provider down');
    }
    return super._generate(...args);
  }
}

let counter = 0;

describeWithServer(
  'Redis request coalescing across processes',
  'TOKENOMICS_TEST_REDIS_URL',
  'a Redis server',
  (url) => {
    const opened: RedisCache[] = [];
    afterEach(async () => {
      for (const redis of opened.splice(0)) await redis.close();
    });

    /** One "process": its own Redis connection, cache engine, model and adapter. */
    async function processWith(namespace: string, fail = false) {
      const redis = await openRedisCache({ url, namespace, timeoutMs: 2_000 });
      opened.push(redis);
      const engine = new SemanticCache({
        store: redis.store,
        vectorIndex: redis.vectorIndex,
        embedder: new HashingEmbedder({ dimensions: 64 }),
        verifier: false,
      });
      const model = new SlowModel(fail);
      const cached = withStreamingCache(model, new TokenomicsCache({ engine }), {
        coalesce: redis.coalescer,
      });
      return { model, cached };
    }

    it('identical calls in flight in two processes reach the model once', async () => {
      counter += 1;
      const namespace = `coalesce-${process.pid}-${counter}`;
      const [first, second] = [await processWith(namespace), await processWith(namespace)];
      // A first call per process gets LangChain's lazy set-up out of the way, so the calls below overlap.
      await Promise.all([first.cached.invoke('warm up one'), second.cached.invoke('warm up two')]);
      const before = first.model.calls.length + second.model.calls.length;
      const [a, b, c] = await Promise.all([
        first.cached.invoke('Summarise the quarterly report'),
        second.cached.invoke('Summarise the quarterly report'),
        second.cached.invoke('Summarise the quarterly report'),
      ]);
      expect(first.model.calls.length + second.model.calls.length - before).toBe(1);
      expect([a.content, b.content, c.content]).toEqual(
        Array(3).fill('model answer to: Summarise the quarterly report'),
      );
    });

    it('when the leading call fails, the waiting process calls the model itself', async () => {
      counter += 1;
      const namespace = `coalesce-${process.pid}-${counter}`;
      const failing = await processWith(namespace, true);
      const healthy = await processWith(namespace);
      await Promise.all([
        failing.cached.invoke('warm up').catch(() => undefined),
        healthy.cached.invoke('warm up'),
      ]);
      const leader = failing.cached.invoke('Translate the memo');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const follower = healthy.cached.invoke('Translate the memo');
      await expect(leader).rejects.toThrow('provider down');
      expect((await follower).content).toBe('model answer to: Translate the memo');
      expect(healthy.model.calls).toHaveLength(2);
    });
  },
);
