import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseCache, InMemoryCache } from '@langchain/core/caches';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Generation } from '@langchain/core/outputs';
import { HashingEmbedder } from '@tokenomics/core';
import { TokenomicsCache } from '@tokenomics/langchain-cache';
import { type LatencySummary, summarizeLatency } from '../metrics';
import { createProgressBar } from '../output';
import { answerBook, OfflineChatModel } from '../stand-in';

export type ExactLatencyResult = {
  prompts: number;
  samplesPerCache: number;
  /** `BaseCache.lookup(prompt, llmString)` of each cache, on the same prompts and keys. */
  lookup: {
    tokenomicsMemory: LatencySummary;
    tokenomicsSqlite: LatencySummary;
    langchainInMemory: LatencySummary;
  };
  /** `model.invoke(messages)` answered from the cache, through the same offline chat model. */
  endToEnd: {
    tokenomicsMemory: LatencySummary;
    langchainInMemory: LatencySummary;
  };
};

/**
 * Exact-hit latency next to LangChain's `InMemoryCache`, measured the same way in the same run:
 * the same prompt strings and llm strings (recorded from a real `invoke` of a chat model), the
 * same `BaseCache.lookup` call, interleaved so machine noise falls on every cache alike. Then
 * end to end: `invoke` on a chat model whose `cache` is each of them.
 */
export async function runExactLatency(
  options: { prompts?: number; passes?: number } = {},
): Promise<ExactLatencyResult> {
  const promptCount = options.prompts ?? 1_000;
  const passes = options.passes ?? 5;
  const conversations = Array.from({ length: promptCount }, (_, index) => [
    new SystemMessage('You are the support assistant of a SaaS product. Answer in one or two sentences.'),
    new HumanMessage(benchQuestion(index)),
  ]);
  const book = answerBook(new Map());
  const model = 'openai:gpt-4o-mini';

  // The prompt and llm strings LangChain itself passes to a cache, and the generations it stores.
  const recorder = new RecordingCache();
  const recordingModel = new OfflineChatModel({ book, model, cache: recorder });
  for (const messages of conversations) await recordingModel.invoke(messages);

  const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-'));
  const embedder = new HashingEmbedder();
  const tokenomicsMemory = new TokenomicsCache({ embedder, verifier: false, onWarning: () => {} });
  const tokenomicsSqlite = await TokenomicsCache.sqlite({
    path: join(directory, 'exact.sqlite'),
    embedder,
    verifier: false,
    onWarning: () => {},
  });
  const langchainInMemory = new InMemoryCache();
  const caches = { tokenomicsMemory, tokenomicsSqlite, langchainInMemory } as const;
  try {
    for (const call of recorder.calls) {
      for (const cache of Object.values(caches))
        await cache.update(call.prompt, call.llmString, call.generations);
    }
    const progress = createProgressBar('exact-hit latency', passes * recorder.calls.length * 5);
    const lookupSamples = {
      tokenomicsMemory: [] as number[],
      tokenomicsSqlite: [] as number[],
      langchainInMemory: [] as number[],
    };
    for (let pass = -1; pass < passes; pass++) {
      for (const call of recorder.calls) {
        for (const name of Object.keys(caches) as Array<keyof typeof caches>) {
          const startedAt = performance.now();
          const found = await caches[name].lookup(call.prompt, call.llmString);
          const elapsed = performance.now() - startedAt;
          if (!found) throw new Error(`${name} missed a key it stored; the benchmark would be meaningless`);
          // Pass -1 warms up JIT and SQLite's page cache and is not recorded.
          if (pass >= 0) lookupSamples[name].push(elapsed);
        }
        if (pass >= 0) progress.tick(3);
      }
    }

    const endToEndSamples = { tokenomicsMemory: [] as number[], langchainInMemory: [] as number[] };
    const models = {
      tokenomicsMemory: new OfflineChatModel({ book, model, cache: tokenomicsMemory }),
      langchainInMemory: new OfflineChatModel({ book, model, cache: langchainInMemory }),
    };
    for (let pass = -1; pass < passes; pass++) {
      for (const messages of conversations) {
        for (const name of Object.keys(models) as Array<keyof typeof models>) {
          const startedAt = performance.now();
          const message = await models[name].invoke(messages);
          const elapsed = performance.now() - startedAt;
          if (pass >= 0) endToEndSamples[name].push(elapsed);
          if (typeof message.content !== 'string') throw new Error('unexpected answer shape');
        }
        if (pass >= 0) progress.tick(2);
      }
    }
    progress.done();
    return {
      prompts: promptCount,
      samplesPerCache: passes * promptCount,
      lookup: {
        tokenomicsMemory: summarizeLatency(lookupSamples.tokenomicsMemory),
        tokenomicsSqlite: summarizeLatency(lookupSamples.tokenomicsSqlite),
        langchainInMemory: summarizeLatency(lookupSamples.langchainInMemory),
      },
      endToEnd: {
        tokenomicsMemory: summarizeLatency(endToEndSamples.tokenomicsMemory),
        langchainInMemory: summarizeLatency(endToEndSamples.langchainInMemory),
      },
    };
  } finally {
    await tokenomicsMemory.engine.close();
    await tokenomicsSqlite.engine.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Support questions of realistic length, all different. */
export function benchQuestion(index: number): string {
  const subjects = [
    'invoice',
    'password reset',
    'API key',
    'CSV export',
    'SSO login',
    'webhook',
    'refund',
    'seat limit',
  ];
  const subject = subjects[index % subjects.length]!;
  return `Ticket ${index}: a customer on the Business plan asks why their ${subject} is not working since yesterday. What should they check first?`;
}

/** A cache that stores nothing and remembers what LangChain asked it. */
class RecordingCache extends BaseCache<Generation[]> {
  readonly calls: Array<{ prompt: string; llmString: string; generations: Generation[] }> = [];

  async lookup(): Promise<Generation[] | null> {
    return null;
  }

  async update(prompt: string, llmString: string, generations: Generation[]): Promise<void> {
    this.calls.push({ prompt, llmString, generations });
  }
}
