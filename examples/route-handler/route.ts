/**
 * A chat route as a Next.js App Router handler (`app/api/chat/route.ts`): a web-standard
 * `Request` in, a streamed `Response` out. The model is wrapped once, at module load, so every
 * request shares one cache; a question asked again streams back from the cache.
 */
import { openai } from '@ai-sdk/openai';
import { cacheMiddleware } from '@tokenomics/ai-sdk';
import { UseLiteEmbedder } from '@tokenomics/core';
import { streamText, wrapLanguageModel } from 'ai';
import * as aiTest from 'ai/test';

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

export const live = Boolean(process.env.OPENAI_API_KEY);

/** Hits and misses, as a metrics hook would count them. */
export const cacheStats = { hits: 0, misses: 0 };

const model = wrapLanguageModel({
  model: live ? openai('gpt-4o-mini') : standInModel(),
  middleware: cacheMiddleware({
    embedder: new UseLiteEmbedder(),
    onHit: () => void cacheStats.hits++,
    onMiss: () => void cacheStats.misses++,
  }),
});

export async function POST(request: Request): Promise<Response> {
  const body = (await request.json().catch(() => undefined)) as { question?: unknown } | undefined;
  if (typeof body?.question !== 'string')
    return Response.json({ error: 'question (a string) is required' }, { status: 400 });
  // The tenant would come from the session; answers never cross tenants.
  const tenant = request.headers.get('x-tenant') ?? 'public';
  const result = streamText({
    model,
    system: 'You are the support assistant of Acme Cloud. Answer in one sentence.',
    prompt: body.question,
    providerOptions: { tokenomics: { scope: { tenant } } },
  });
  return result.toTextStreamResponse();
}

/** The offline stand-in: a fixed answer, streamed word by word. */
function standInModel(): WrappableModel {
  const usage = {
    inputTokens: { total: 40, noCache: 40, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 15, text: 15, reasoning: 0 },
  };
  return new MockLanguageModel({
    provider: 'offline-stand-in',
    modelId: 'gpt-4o-mini',
    doStream: async ({ prompt }) => {
      const last = prompt.at(-1);
      const question =
        last?.role === 'user'
          ? last.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
          : '';
      const answer = `[offline stand-in] An answer to: ${question}`;
      return {
        stream: new ReadableStream({
          start(controller) {
            controller.enqueue({ type: 'stream-start', warnings: [] });
            controller.enqueue({ type: 'text-start', id: '0' });
            for (const delta of answer.split(/(?<= )/))
              controller.enqueue({ type: 'text-delta', id: '0', delta });
            controller.enqueue({ type: 'text-end', id: '0' });
            controller.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage });
            controller.close();
          },
        }),
      };
    },
  });
}
