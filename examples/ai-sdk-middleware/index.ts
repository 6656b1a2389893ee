/**
 * `generateText` and `streamText` through one middleware stack: the cache outermost (it keys on
 * the prompt as written, and a hit skips everything below), then compression (it runs only on a
 * miss and cuts the retrieved documents before the model sees them). A stream of a question the
 * cache has seen is replayed from the cache.
 *
 * Offline (no OPENAI_API_KEY) the model is a labelled stand-in; with the key it is gpt-4o-mini.
 */
import { openai } from '@ai-sdk/openai';
import {
  cacheMiddleware,
  compressionMiddleware,
  getCacheMetadata,
  getCompressionMetadata,
} from '@tokenomics/ai-sdk';
import { UseLiteEmbedder } from '@tokenomics/core';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import * as aiTest from 'ai/test';
import { documents } from './documents.ts';

/**
 * The installed release's mock model, so this example runs under `ai` 7 (`MockLanguageModelV4`) and
 * `ai` 6 (`MockLanguageModelV3`); the calls and answers it handles are spelled the same in both.
 */
const MockLanguageModel = ((aiTest as Record<string, unknown>).MockLanguageModelV4 ??
  (aiTest as Record<string, unknown>).MockLanguageModelV3) as new (
  settings: StandInSettings,
) => WrappableModel;
/** What `wrapLanguageModel` takes in the installed release (a V3 model in ai 6, V4 in ai 7). */
type WrappableModel = Parameters<typeof wrapLanguageModel>[0]['model'];
type StandInCall = {
  prompt: Array<{ role: string; content: Array<{ type: string; text?: string; output?: unknown }> }>;
  responseFormat?: { type: string };
  tools?: unknown[];
};
type StandInSettings = {
  provider: string;
  modelId: string;
  doGenerate?: (call: StandInCall) => Promise<unknown>;
  doStream?: (call: StandInCall) => Promise<unknown>;
};

const live = Boolean(process.env.OPENAI_API_KEY);
console.log(
  live ? 'model: openai gpt-4o-mini' : 'model: [offline stand-in] (set OPENAI_API_KEY to call OpenAI)',
);

const cache = cacheMiddleware({ embedder: new UseLiteEmbedder(), scope: { tenant: 'acme' } });
const model = wrapLanguageModel({
  model: live ? openai('gpt-4o-mini') : standInModel(),
  middleware: [cache, compressionMiddleware({ rate: 1 / 3 })],
});

const system = 'Answer from the documents only, in one sentence.';
const prompt = `Documents:\n${documents.join('\n\n')}\n\nQuestion: How long are the backups of a deleted database kept?`;

const first = await generateText({ model, system, prompt });
const compression = getCompressionMetadata(first.providerMetadata);
report('generateText (first)', first.providerMetadata, first.text);
console.log(`  compressed ${compression?.tokensBefore} → ${compression?.tokensAfter} tokens`);

const again = await generateText({ model, system, prompt });
report('generateText (again)', again.providerMetadata, again.text);

const stream = streamText({ model, system, prompt });
let streamed = '';
for await (const text of stream.textStream) streamed += text;
const streamMetadata = await stream.providerMetadata;
report('streamText', streamMetadata, streamed);

check(getCacheMetadata(first.providerMetadata)?.cached === false, 'the first call goes to the model');
check((compression?.ratio ?? 1) >= 2, 'on that miss, the documents were compressed at least 2×');
check(getCacheMetadata(again.providerMetadata)?.cached === true, 'the identical second call is a cache hit');
check(getCacheMetadata(streamMetadata)?.cached === true, 'the stream is replayed from the cache');
check(again.text === first.text && streamed === first.text, 'hits return the stored answer');
await cache.close();

function report(label: string, metadata: Parameters<typeof getCacheMetadata>[0], text: string): void {
  const cached = getCacheMetadata(metadata);
  console.log(
    `${label.padEnd(22)} ${cached?.cached ? `hit (${cached.kind})` : 'miss'}  ${text.slice(0, 70)}`,
  );
}

function standInModel(): WrappableModel {
  const answer = '[offline stand-in] Deleted backups are kept for 30 days.';
  const usage = {
    inputTokens: { total: 250, noCache: 250, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 12, text: 12, reasoning: 0 },
  };
  const finishReason = { unified: 'stop' as const, raw: 'stop' };
  return new MockLanguageModel({
    provider: 'offline-stand-in',
    modelId: 'gpt-4o-mini',
    doGenerate: async () => ({
      content: [{ type: 'text', text: answer }],
      finishReason,
      usage,
      warnings: [],
    }),
    doStream: async () => ({
      stream: new ReadableStream({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: '0' });
          for (const delta of answer.split(/(?<= )/))
            controller.enqueue({ type: 'text-delta', id: '0', delta });
          controller.enqueue({ type: 'text-end', id: '0' });
          controller.enqueue({ type: 'finish', finishReason, usage });
          controller.close();
        },
      }),
    }),
  });
}

function check(condition: boolean, claim: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${claim}`);
  if (!condition) process.exitCode = 1;
}
