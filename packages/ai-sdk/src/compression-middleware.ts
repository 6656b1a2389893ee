import type {
  JSONObject,
  LanguageModelV4CallOptions,
  LanguageModelV4Message,
  LanguageModelV4Middleware,
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
  type TraceStep,
} from '@tokenomics/core';
import { toTokenomicsRequest } from './to-tokenomics-request';

/**
 * The `providerMetadata` key the compression middleware writes (its own key, so it composes with
 * the cache middleware, which owns `tokenomics`).
 */
export const COMPRESSION_METADATA_KEY = 'tokenomicsCompression';

/** Which prompt message a request message came from; object spread keeps symbol keys. */
const ORIGIN = Symbol('tokenomics.origin');

type TaggedMessage = Message & { [ORIGIN]?: number };

export type CompressionEvent = CompressionStats & { trace: TraceStep };

export type CompressionMiddlewareOptions = RequestCompressionOptions & {
  /**
   * Also compress the text outputs of tool results (`{ type: 'text' }`), ranked against the
   * last user question. Default false: tool results, files and images pass untouched.
   */
  toolResults?: boolean;
  /** Called after every call's compression (also when it was a no-op). */
  onCompressed?: (event: CompressionEvent) => void;
};

/**
 * Compresses the prompt before the model sees it (`transformParams`), text parts only by
 * default: the system prompt, the stable prefix, tool calls and results, files, reasoning and
 * the last user message pass byte for byte. Works with `generateText` and `streamText`; the
 * result's `providerMetadata.tokenomicsCompression` says what was saved.
 */
export function compressionMiddleware(options: CompressionMiddlewareOptions = {}): LanguageModelV4Middleware {
  const { toolResults, onCompressed, ...compression } = options;
  const events = new WeakMap<LanguageModelV4CallOptions, CompressionEvent>();

  return {
    specificationVersion: 'v4',
    async transformParams({ params, model }) {
      const request = toTokenomicsRequest(params, { provider: model.provider, modelId: model.modelId });
      request.messages.forEach((message, index) => {
        (message as TaggedMessage)[ORIGIN] = index;
      });
      const result = await compressRequest(request, {
        ...compression,
        stablePrefix: stablePrefixOf(params.prompt, compression.stablePrefix),
      });
      let prompt = rebuildPrompt(params.prompt, result.request.messages, request.messages);
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
      onCompressed?.(event);
      const next = prompt === params.prompt ? { ...params } : { ...params, prompt };
      events.set(next, event);
      return next;
    },
    async wrapGenerate({ doGenerate, params }) {
      const result = await doGenerate();
      const event = events.get(params);
      return event ? { ...result, providerMetadata: withMetadata(result.providerMetadata, event) } : result;
    },
    async wrapStream({ doStream, params }) {
      const result = await doStream();
      const event = events.get(params);
      if (!event) return result;
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
          transform(part, controller) {
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
  };
}

/** What the compression middleware did for a call, from a result's or finish part's provider metadata. */
export function getCompressionMetadata(
  providerMetadata: SharedV4ProviderMetadata | Record<string, unknown> | undefined,
):
  | { tokensBefore: number; tokensAfter: number; ratio: number; methods: string[]; trace: TraceStep }
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
    trace: event.trace,
  };
  return { ...providerMetadata, [COMPRESSION_METADATA_KEY]: JSON.parse(JSON.stringify(value)) as JSONObject };
}

/**
 * Writes compressed text back into the AI SDK prompt. The k-th text part of a message maps to
 * its k-th text part in the request (the converter keeps them one to one); messages the
 * compressor left alone are returned as the same objects; a summary of old turns becomes a
 * user message.
 */
function rebuildPrompt(
  prompt: LanguageModelV4Prompt,
  compressed: Message[],
  original: Message[],
): LanguageModelV4Prompt {
  let changed = compressed.length !== original.length;
  const rebuilt = compressed.map((message): LanguageModelV4Message => {
    const index = (message as TaggedMessage)[ORIGIN];
    if (index === undefined) {
      changed = true;
      return { role: 'user', content: [{ type: 'text', text: messageText(message) }] };
    }
    const source = prompt[index]!;
    if (message === original[index] || source.role === 'system') return source;
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
 * Messages never changed: the leading system messages (or the `stablePrefix` option), extended
 * through the last message carrying a provider cache breakpoint (Anthropic `cacheControl`), since
 * the provider caches everything up to it.
 */
function stablePrefixOf(prompt: LanguageModelV4Prompt, configured: number | undefined): number {
  let prefix = configured ?? prompt.findIndex((message) => message.role !== 'system');
  if (prefix === -1) prefix = prompt.length;
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
