import type {
  JSONObject,
  LanguageModelV4CallOptions,
  LanguageModelV4Message,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  SharedV4ProviderMetadata,
} from '@ai-sdk/provider';
import {
  type CompressionStats,
  compressRequest,
  compressText,
  type Message,
  messageText,
  type RequestCompressionOptions,
  recordCompression,
  type TelemetrySettings,
  type TokenBudgetPlan,
  type TraceStep,
  traceCompression,
  validateCompressionOptions,
} from '@tokenomics/core';
import { callTelemetry } from './call-telemetry';
import type { AiLanguageModelMiddleware } from './installed-specification';
import { toTokenomicsRequest } from './to-tokenomics-request';
import { planCallBudget, type TokenBudgetSettings, withOutputLimit } from './token-budget-call';
import { middlewareForInstalledAi } from './v3-bridge';

/**
 * The `providerMetadata` key the compression middleware writes (its own key, so it composes with
 * the cache middleware, which owns `tokenomics`).
 */
export const COMPRESSION_METADATA_KEY = 'tokenomicsCompression';

export type CompressionEvent = CompressionStats & {
  trace: TraceStep;
  /** Shadow mode: the model got the original prompt; the numbers say what compression would do. */
  shadow?: boolean;
};

export type CompressionMiddlewareOptions = RequestCompressionOptions &
  TokenBudgetSettings & {
    /**
     * Also compress the text outputs of tool results (`{ type: 'text' }`), ranked against the
     * last user question. Default false: tool results, files and images pass untouched.
     */
    toolResults?: boolean;
    /** Called after every call's compression (also when it was a no-op). */
    onCompressed?: (event: CompressionEvent) => void;
    /**
     * OpenTelemetry: each compression is a `tokenomics.compression` span. Pass the object you give
     * `generateText` as `experimental_telemetry`; `providerOptions.tokenomics.telemetry` overrides it per call.
     */
    telemetry?: TelemetrySettings;
    /**
     * Shadow mode: compress and report (metadata, `onCompressed`, with `shadow: true`) but send the
     * original prompt, to see what compression would save on your traffic before it changes a call.
     * Nothing is written to the ledger.
     */
    shadow?: boolean;
  };

/** A call's prompt after compression, what the compression did, and the call's token budget. */
type CompressedCall = {
  params: LanguageModelV4CallOptions;
  event: CompressionEvent;
  budget?: TokenBudgetPlan;
};

/**
 * Compresses the prompt before the model sees it, text parts only by default: the system
 * prompt's instructions, the stable prefix, tool calls and results, files, reasoning and the
 * question pass byte for byte. Works with `generateText` and `streamText`; the result's
 * `providerMetadata.tokenomicsCompression` says what was saved. The options are checked here, so
 * a wrong `rate` fails when the middleware is created.
 */
export function compressionMiddleware(options: CompressionMiddlewareOptions = {}): AiLanguageModelMiddleware {
  validateCompressionOptions(options);
  const {
    toolResults,
    onCompressed,
    ledger,
    telemetry,
    shadow,
    tokenBudget,
    outputQuantile,
    outputLength,
    ...compression
  } = options;
  const budgetSettings: TokenBudgetSettings = { tokenBudget, outputQuantile, outputLength };
  const record = (
    model: { provider: string; modelId: string },
    event: CompressionEvent,
    truncated?: boolean,
  ) => {
    if (!ledger) return;
    recordCompression(ledger, {
      traceId: compression.traceId,
      model: `${model.provider}:${model.modelId}`,
      tokensBefore: event.tokensBefore,
      tokensAfter: event.tokensAfter,
      ...(truncated ? { truncated } : {}),
    });
  };
  const compress = async (
    params: LanguageModelV4CallOptions,
    model: { provider: string; modelId: string },
  ): Promise<CompressedCall> => {
    const budget = shadow ? undefined : planCallBudget(params, model, budgetSettings);
    // Under a budget the prompt's share is the target, whatever its length.
    const settings = budget
      ? { ...compression, targetTokens: budget.promptTokens, minTokens: compression.minTokens ?? 0 }
      : compression;
    const compressed = await traceCompression(
      callTelemetry(telemetry, params),
      { model: `${model.provider}:${model.modelId}` },
      () => compressCall(params, model, settings, toolResults === true),
      (call) => call.event,
    );
    if (shadow) {
      const event = { ...compressed.event, shadow: true };
      onCompressed?.(event);
      return { params, event };
    }
    // A budgeted call is recorded after the answer, to know whether the limit cut it.
    if (!budget && compressed.params.prompt !== params.prompt) record(model, compressed.event);
    onCompressed?.(compressed.event);
    if (!budget) return compressed;
    return {
      ...compressed,
      params: withOutputLimit(compressed.params, budget, compressed.event.tokensAfter),
      budget,
    };
  };
  return middlewareForInstalledAi({
    specificationVersion: 'v4',
    // Compression happens inside the wrap hooks, which then call the model with the compressed
    // prompt: the metadata travels in a local variable, not in state shared between hooks.
    async wrapGenerate({ params, model }) {
      const { params: compressed, event, budget } = await compress(params, model);
      const result = await model.doGenerate(compressed);
      if (budget) record(model, event, result.finishReason.unified === 'length');
      return { ...result, providerMetadata: withMetadata(result.providerMetadata, event) };
    },
    async wrapStream({ params, model }) {
      const { params: compressed, event, budget } = await compress(params, model);
      const result = await model.doStream(compressed);
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
          transform(part, controller) {
            if (budget && part.type === 'finish')
              record(model, event, part.finishReason.unified === 'length');
            controller.enqueue(
              part.type === 'finish'
                ? { ...part, providerMetadata: withMetadata(part.providerMetadata, event) }
                : part,
            );
          },
        }),
      );
      return { ...result, stream };
    },
  });
}

async function compressCall(
  params: LanguageModelV4CallOptions,
  model: { provider: string; modelId: string },
  compression: RequestCompressionOptions,
  toolResults: boolean,
): Promise<CompressedCall> {
  const request = toTokenomicsRequest(params, { provider: model.provider, modelId: model.modelId });
  const result = await compressRequest(request, {
    ...compression,
    stablePrefix: stablePrefixOf(params.prompt, compression.stablePrefix),
  });
  let prompt = rebuildPrompt(params.prompt, result.request.messages, result.sources);
  const { tokensBefore } = result;
  let { tokensAfter } = result;
  if (toolResults) {
    const question = compression.question ?? lastUserText(result.request.messages);
    const compressed = await compressToolResults(prompt, { ...compression, question });
    prompt = compressed.prompt;
    tokensAfter -= compressed.tokensBefore - compressed.tokensAfter;
  }
  const event: CompressionEvent = {
    ...result,
    tokensAfter,
    ratio: tokensAfter > 0 ? tokensBefore / tokensAfter : 1,
    trace: {
      ...result.trace,
      details: { ...result.trace.details, tokensAfter, tokensSaved: tokensBefore - tokensAfter },
    },
  };
  return { params: prompt === params.prompt ? params : { ...params, prompt }, event };
}

/** What the compression middleware did for a call, from a result's or finish part's provider metadata. */
export function getCompressionMetadata(providerMetadata: Record<string, unknown> | undefined):
  | {
      tokensBefore: number;
      tokensAfter: number;
      ratio: number;
      methods: string[];
      trace: TraceStep;
      /** Shadow mode: the prompt was sent uncompressed. */
      shadow?: boolean;
    }
  | undefined {
  const value = providerMetadata?.[COMPRESSION_METADATA_KEY];
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as { tokensBefore?: unknown }).tokensBefore !== 'number'
  )
    return undefined;
  return value as never;
}

function withMetadata(providerMetadata: SharedV4ProviderMetadata | undefined, event: CompressionEvent) {
  const value = {
    tokensBefore: event.tokensBefore,
    tokensAfter: event.tokensAfter,
    ratio: event.ratio,
    methods: event.methods,
    ...(event.skipped ? { skipped: event.skipped } : {}),
    ...(event.shadow ? { shadow: true } : {}),
    trace: event.trace,
  };
  return { ...providerMetadata, [COMPRESSION_METADATA_KEY]: JSON.parse(JSON.stringify(value)) as JSONObject };
}

/**
 * Writes compressed text back into the AI SDK prompt. `sources[i]` is the prompt message output
 * message i came from; the k-th text part of a message maps to its k-th text part in the request
 * (the converter keeps them one to one); messages the compressor left alone are returned as the
 * same objects; a summary of old turns becomes a user message.
 */
function rebuildPrompt(
  prompt: LanguageModelV4Prompt,
  compressed: Message[],
  sources: ReadonlyArray<number | undefined>,
): LanguageModelV4Prompt {
  let changed = compressed.length !== prompt.length;
  const rebuilt = compressed.map((message, position): LanguageModelV4Message => {
    const index = sources[position];
    if (index === undefined) {
      changed = true;
      return { role: 'user', content: [{ type: 'text', text: messageText(message) }] };
    }
    const source = prompt[index]!;
    if (index !== position) changed = true;
    if (typeof source.content === 'string') {
      const text = messageText(message);
      if (text === source.content) return source;
      changed = true;
      return { ...source, content: text } as LanguageModelV4Message;
    }
    const texts = message.content.filter((part) => part.type === 'text').map((part) => part.text);
    let next = 0;
    let messageChanged = false;
    const content = (source.content as Array<{ type: string; text?: string }>).map((part) => {
      if (part.type !== 'text') return part;
      const text = texts[next++] ?? '';
      if (text === part.text) return part;
      messageChanged = true;
      return { ...part, text };
    });
    if (!messageChanged) return source;
    changed = true;
    return { ...source, content } as LanguageModelV4Message;
  });
  return changed ? rebuilt : prompt;
}

/**
 * Messages never changed: the `stablePrefix` option (default 0: system messages keep their
 * instructions anyway), extended through the last message carrying a provider cache breakpoint
 * (Anthropic `cacheControl`), since the provider caches everything up to it.
 */
function stablePrefixOf(prompt: LanguageModelV4Prompt, configured: number | undefined): number {
  let prefix = configured ?? 0;
  prompt.forEach((message, index) => {
    const parts = Array.isArray(message.content) ? message.content : [];
    if (
      hasCacheBreakpoint(message.providerOptions) ||
      parts.some((part) => hasCacheBreakpoint(part.providerOptions))
    ) {
      prefix = Math.max(prefix, index + 1);
    }
  });
  return prefix;
}

function hasCacheBreakpoint(options: unknown): boolean {
  return options !== undefined && /"(?:cacheControl|cache_control|cachePoint)"/.test(JSON.stringify(options));
}

function lastUserText(messages: Message[]): string {
  const last = messages.findLast((message) => message.role === 'user');
  return last ? messageText(last) : '';
}

async function compressToolResults(
  prompt: LanguageModelV4Prompt,
  options: RequestCompressionOptions,
): Promise<{ prompt: LanguageModelV4Prompt; tokensBefore: number; tokensAfter: number }> {
  let tokensBefore = 0;
  let tokensAfter = 0;
  let changed = false;
  const rebuilt: LanguageModelV4Prompt = [];
  for (const message of prompt) {
    if (message.role !== 'tool') {
      rebuilt.push(message);
      continue;
    }
    const content: typeof message.content = [];
    for (const part of message.content) {
      if (part.type !== 'tool-result' || part.output.type !== 'text') {
        content.push(part);
        continue;
      }
      const result = await compressText(part.output.value, options);
      tokensBefore += result.tokensBefore;
      tokensAfter += result.tokensAfter;
      if (result.text === part.output.value) content.push(part);
      else {
        changed = true;
        content.push({ ...part, output: { ...part.output, value: result.text } });
      }
    }
    rebuilt.push({ ...message, content });
  }
  return { prompt: changed ? rebuilt : prompt, tokensBefore, tokensAfter };
}
