import type { CostLedger } from '../ledger/cost-ledger';
import type { Pricing } from '../pricing/create-pricing';
import type { ContentPart, Message, TokenomicsRequest } from '../request/request';
import { messageText } from '../request/semantic-text';
import type { TraceStep } from '../trace/trace';
import { compressPieces } from './compress-pieces';
import { DEFAULT_MIN_TOKENS, validateOptions } from './compress-text';
import type { CompressionMethod, CompressionOptions, CompressionStats } from './compression-options';
import { compressionTraceStep } from './compression-trace';
import { loadTokenCounter, type TokenCounter } from './token-count';

export type RequestCompressionOptions = CompressionOptions & {
  /**
   * Number of leading messages never changed, so a provider's prompt cache keeps matching them.
   * Default: the leading system messages. Raise it to the length of the conversation you
   * already sent to keep older turns cacheable too.
   */
  stablePrefix?: number;
  /**
   * How the last user message is protected: 'whole' (default) keeps it byte for byte;
   * 'question' keeps only its last paragraph and lets retrieved text above it be compressed.
   */
  lastUserMessage?: 'whole' | 'question';
  /** Removes a user/assistant exchange that repeats an earlier one word for word. Default true. */
  dropRepeatedTurns?: boolean;
  /**
   * Replaces older turns with one message holding this function's summary of them. Called only
   * when more than `keepRecentMessages` messages follow the stable prefix.
   */
  summarize?: (messages: Message[]) => Promise<string>;
  /** Messages at the end that are never summarized. Default 6. */
  keepRecentMessages?: number;
  /** Prices the saved input tokens for the request's model: `dollarsSaved` in the trace. */
  pricing?: Pick<Pricing, 'cost'>;
  /**
   * Records the input tokens before (baseline) and after (spent) under stage 'compression', when
   * the compression changed the request. The ledger prices them with its own pricing.
   */
  ledger?: Pick<CostLedger, 'record'>;
  /** The call's trace id for the ledger record. Default: a fresh UUID. */
  traceId?: string;
};

export type RequestCompressionResult = CompressionStats & {
  /** The compressed request; the input object itself when nothing changed. */
  request: TokenomicsRequest;
  trace: TraceStep;
};

const SUMMARY_HEADER = 'Summary of the earlier conversation:\n';

/**
 * Compresses the parts of a request that change from call to call: older turns and long user
 * text. The system prompt, the stable prefix, tool definitions, tool calls and results, media,
 * reasoning, and the last user message are kept byte for byte. Deterministic.
 */
export async function compressRequest(
  request: TokenomicsRequest,
  options: RequestCompressionOptions = {},
): Promise<RequestCompressionResult> {
  validateOptions(options);
  const started = performance.now();
  const countTokens = options.countTokens ?? (await loadTokenCounter(request.model));
  const tokensBefore = requestTokens(request, countTokens);
  const skip = (reason: CompressionStats['skipped']): RequestCompressionResult => {
    const stats: CompressionStats = {
      tokensBefore,
      tokensAfter: tokensBefore,
      ratio: 1,
      methods: [],
      skipped: reason,
      durationMs: performance.now() - started,
    };
    return { ...stats, request, trace: compressionTraceStep(stats) };
  };
  if (tokensBefore < (options.minTokens ?? DEFAULT_MIN_TOKENS)) return skip('short');

  const prefixLength = Math.min(
    options.stablePrefix ?? leadingSystemMessages(request.messages),
    request.messages.length,
  );
  const lastUserIndex = request.messages.findLastIndex((message) => message.role === 'user');
  const lastUser = request.messages[lastUserIndex];
  const lossless = (options.methods ?? ['lossless']).includes('lossless');

  let messages = [...request.messages];
  let removedTurns = 0;
  if (lossless && options.dropRepeatedTurns !== false) {
    const deduplicated = dropRepeatedExchanges(messages, prefixLength, lastUserIndex);
    removedTurns = messages.length - deduplicated.length;
    messages = deduplicated;
  }
  let summarizedMessages = 0;
  if (options.summarize) {
    const summarized = await summarizeOlderTurns(messages, prefixLength, options);
    summarizedMessages = summarized.replaced;
    messages = summarized.messages;
  }

  const lastUserPosition = lastUser ? messages.lastIndexOf(lastUser) : -1;
  const question = options.question ?? (lastUser ? splitQuestion(messageText(lastUser)).question : '');
  const slots = compressibleSlots(
    messages,
    prefixLength,
    lastUserPosition,
    options.lastUserMessage ?? 'whole',
  );
  if (slots.length === 0 && removedTurns === 0 && summarizedMessages === 0)
    return skip('nothing-compressible');

  const currentTokens = requestTokens({ ...request, messages }, countTokens);
  const compressibleTokens = slots.reduce((sum, slot) => sum + countTokens(slot.body), 0);
  const budget =
    options.targetTokens !== undefined
      ? Math.max(0, options.targetTokens - (currentTokens - compressibleTokens))
      : options.rate !== undefined
        ? Math.floor(compressibleTokens * options.rate)
        : undefined;
  const { texts, methods } = await compressPieces({
    texts: slots.map((slot) => slot.body),
    budget,
    options: { ...options, question },
    countTokens,
  });

  const rebuilt = rebuildMessages(messages, slots, texts);
  const output: TokenomicsRequest = { ...request, messages: rebuilt };
  const tokensAfter = requestTokens(output, countTokens);
  const usedMethods: CompressionMethod[] = slots.length > 0 ? methods : lossless ? ['lossless'] : [];
  const stats: CompressionStats = {
    tokensBefore,
    tokensAfter,
    ratio: tokensAfter > 0 ? tokensBefore / tokensAfter : 1,
    methods: usedMethods,
    durationMs: performance.now() - started,
  };
  const changed = tokensAfter !== tokensBefore || rebuilt.length !== request.messages.length;
  if (changed && options.ledger) {
    options.ledger.record({
      traceId: options.traceId ?? crypto.randomUUID(),
      model: request.model,
      stage: 'compression',
      spent: { inputTokens: tokensAfter },
      baseline: { inputTokens: tokensBefore },
      ...(request.scope ? { scope: request.scope } : {}),
    });
  }
  return {
    ...stats,
    request: changed ? output : request,
    trace: compressionTraceStep(stats, {
      stablePrefix: prefixLength,
      compressibleTokens,
      removedTurns,
      summarizedMessages,
      ...(options.pricing
        ? {
            dollarsSaved:
              options.pricing.cost(request.model, { inputTokens: tokensBefore }) -
              options.pricing.cost(request.model, { inputTokens: tokensAfter }),
          }
        : {}),
    }),
  };
}

/** Tokens of everything a provider would read: text, tool calls and results, tool definitions. */
export function requestTokens(request: TokenomicsRequest, countTokens: TokenCounter): number {
  let total = 0;
  for (const message of request.messages) {
    for (const part of message.content) total += countTokens(partText(part));
  }
  if (request.tools?.length) total += countTokens(JSON.stringify(request.tools));
  return total;
}

function partText(part: ContentPart): string {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return part.text;
    case 'tool-call':
      return `${part.toolName} ${JSON.stringify(part.input) ?? ''}`;
    case 'tool-result':
      return typeof part.output === 'string' ? part.output : (JSON.stringify(part.output) ?? '');
    default:
      return '';
  }
}

function leadingSystemMessages(messages: Message[]): number {
  let count = 0;
  while (count < messages.length && messages[count]!.role === 'system') count += 1;
  return count;
}

/** A text part to compress: `body` is compressed, `tail` (the protected question) is appended. */
type Slot = { message: number; part: number; body: string; separator: string; tail: string };

function compressibleSlots(
  messages: Message[],
  prefixLength: number,
  lastUserIndex: number,
  lastUserMode: 'whole' | 'question',
): Slot[] {
  const slots: Slot[] = [];
  messages.forEach((message, messageIndex) => {
    if (messageIndex < prefixLength) return;
    if (message.role !== 'user' && message.role !== 'assistant') return;
    const isLastUser = messageIndex === lastUserIndex;
    if (isLastUser && lastUserMode === 'whole') return;
    const lastTextPart = message.content.findLastIndex((part) => part.type === 'text');
    message.content.forEach((part, partIndex) => {
      if (part.type !== 'text' || part.text.trim().length === 0) return;
      if (isLastUser && partIndex === lastTextPart) {
        const { body, separator, question } = splitQuestion(part.text);
        if (body.length > 0)
          slots.push({ message: messageIndex, part: partIndex, body, separator, tail: question });
        return;
      }
      slots.push({ message: messageIndex, part: partIndex, body: part.text, separator: '', tail: '' });
    });
  });
  return slots;
}

/** The last paragraph of a user message is its question; what comes before is its context. */
function splitQuestion(text: string): { body: string; separator: string; question: string } {
  const trimmed = text.replace(/\s+$/, '');
  const match = /\n\s*\n(?=[^\n]*\S)(?![\s\S]*\n\s*\n)/.exec(trimmed);
  if (!match) return { body: '', separator: '', question: text };
  return {
    body: text.slice(0, match.index),
    separator: match[0],
    question: text.slice(match.index + match[0].length),
  };
}

function rebuildMessages(messages: Message[], slots: Slot[], texts: string[]): Message[] {
  const byMessage = new Map<number, Array<{ slot: Slot; text: string }>>();
  slots.forEach((slot, index) => {
    const list = byMessage.get(slot.message) ?? [];
    list.push({ slot, text: texts[index]! });
    byMessage.set(slot.message, list);
  });
  return messages.map((message, messageIndex) => {
    const replacements = byMessage.get(messageIndex);
    if (!replacements) return message;
    const content = [...message.content];
    let changed = false;
    for (const { slot, text } of replacements) {
      const next = slot.tail.length > 0 ? text + slot.separator + slot.tail : text;
      const original = content[slot.part] as { type: 'text'; text: string };
      if (next !== original.text) {
        content[slot.part] = { ...original, text: next };
        changed = true;
      }
    }
    return changed ? { ...message, content } : message;
  });
}

/** Drops a user message and its assistant reply when the same pair appeared earlier. */
function dropRepeatedExchanges(messages: Message[], prefixLength: number, lastUserIndex: number): Message[] {
  const seen = new Set<string>();
  const out: Message[] = messages.slice(0, prefixLength);
  for (let index = prefixLength; index < messages.length; index += 1) {
    const message = messages[index]!;
    const reply = messages[index + 1];
    const isExchange =
      message.role === 'user' &&
      reply?.role === 'assistant' &&
      index !== lastUserIndex &&
      index + 1 !== lastUserIndex &&
      onlyText(message) &&
      onlyText(reply);
    if (isExchange) {
      const key = `${messageText(message).trim()}\u0000${messageText(reply).trim()}`;
      if (seen.has(key)) {
        index += 1;
        continue;
      }
      seen.add(key);
    }
    out.push(message);
  }
  return out;
}

function onlyText(message: Message): boolean {
  return message.content.every((part) => part.type === 'text');
}

async function summarizeOlderTurns(
  messages: Message[],
  prefixLength: number,
  options: RequestCompressionOptions,
): Promise<{ messages: Message[]; replaced: number }> {
  const keepRecent = options.keepRecentMessages ?? 6;
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  let cut = Math.min(messages.length - keepRecent, lastUser === -1 ? messages.length : lastUser);
  // Never separate a tool result from the call that asked for it.
  while (cut > prefixLength && messages[cut]?.role === 'tool') cut -= 1;
  if (cut - prefixLength < 2) return { messages, replaced: 0 };
  const older = messages.slice(prefixLength, cut);
  const summary = (await options.summarize!(older)).trim();
  if (summary.length === 0) return { messages, replaced: 0 };
  const summaryMessage: Message = {
    role: 'user',
    content: [{ type: 'text', text: SUMMARY_HEADER + summary }],
  };
  return {
    messages: [...messages.slice(0, prefixLength), summaryMessage, ...messages.slice(cut)],
    replaced: older.length,
  };
}
