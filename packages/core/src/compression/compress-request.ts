import type { CostLedger } from '../ledger/cost-ledger';
import type { Pricing } from '../pricing/create-pricing';
import type { ContentPart, Message, TokenomicsRequest } from '../request/request';
import { messageText } from '../request/semantic-text';
import type { TraceStep } from '../trace/trace';
import { compressPieces, type PiecesOutput } from './compress-pieces';
import { DEFAULT_MIN_TOKENS, targetTokens } from './compress-text';
import type {
  CompressionMethod,
  CompressionOptions,
  CompressionShortfall,
  CompressionStats,
} from './compression-options';
import { compressionTraceStep } from './compression-trace';
import { recordCompression } from './record-compression';
import { type PlanMode, planText, type TextPart } from './text-plan';
import { loadTokenCounter, type TokenCounter } from './token-count';
import { dropOldTurns } from './turns';
import { validateCompressionOptions } from './validate-compression-options';

export type RequestCompressionOptions = CompressionOptions & {
  /**
   * Number of leading messages never changed, so a provider's prompt cache keeps matching them.
   * Default 0: system messages are protected anyway (only retrieved documents inside them are
   * compressed). Raise it to the length of the conversation you already sent to keep older
   * turns cacheable too.
   */
  stablePrefix?: number;
  /**
   * How the last user message is treated: 'auto' (default) compresses only the retrieved
   * context in it (numbered documents, a `<context>` tag, a `Context:` section, few-shot
   * examples) and keeps the question and the user's own words; 'question' compresses everything
   * but the question (its last paragraph when none is found); 'whole' keeps it byte for byte.
   */
  lastUserMessage?: 'auto' | 'whole' | 'question';
  /**
   * When the target cannot be reached by selection, drop whole old turns (a user message and
   * the replies and tool calls that follow it), oldest first, keeping this many last turns.
   * Default: no turn is dropped, and the result says why the target was missed.
   */
  keepLastTurns?: number;
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
  /**
   * For each message of the output, the index of the input message it came from; undefined for
   * a message the compressor wrote (the summary of old turns).
   */
  sources: Array<number | undefined>;
  trace: TraceStep;
};

const SUMMARY_HEADER = 'Summary of the earlier conversation:\n';

/** A message and the index of the input message it came from. */
type Entry = { message: Message; source: number | undefined };

/**
 * Compresses the parts of a request that change from call to call: older turns, retrieved
 * context in the last user message and in system messages. The instructions of the system
 * prompt, the stable prefix, tool definitions, tool calls and results, media, reasoning, and
 * the question are kept byte for byte. Deterministic.
 */
export async function compressRequest(
  request: TokenomicsRequest,
  options: RequestCompressionOptions = {},
): Promise<RequestCompressionResult> {
  validateCompressionOptions(options);
  const started = performance.now();
  const countTokens = messageCounter(options.countTokens ?? (await loadTokenCounter(request.model)));
  const tokensBefore = requestTokens(request, countTokens);
  const unchanged = (skipped: CompressionStats['skipped']) =>
    result(
      request,
      { request, sources: request.messages.map((_, index) => index) },
      { tokensBefore, tokensAfter: tokensBefore, methods: [], skipped },
      started,
      options,
    );
  if (tokensBefore < (options.minTokens ?? DEFAULT_MIN_TOKENS)) return unchanged('short');

  const prefixLength = Math.min(options.stablePrefix ?? 0, request.messages.length);
  const prepared = await prepareEntries(request, options, prefixLength);
  const lastUserSource = prepared.entries.findLast((entry) => entry.message.role === 'user')?.source;
  const slots = compressibleSlots(
    prepared.entries,
    prefixLength,
    lastUserSource,
    options.lastUserMessage ?? 'auto',
  );
  const hasCompressible = slots.some((slot) => slot.parts.some((part) => part.compress));
  if (!hasCompressible && prepared.removed === 0 && prepared.summarized === 0) {
    return unchanged('nothing-compressible');
  }

  const target = targetTokens(tokensBefore, options);
  const question = options.question ?? questionOf(prepared.entries, lastUserSource);
  const selected = await selectInSlots(request, prepared.entries, slots, {
    options: { ...options, question },
    target,
    countTokens,
  });
  let entries = selected.entries;
  let tokensAfter = requestTokens(outputRequest(request, entries), countTokens);
  let droppedTurns = 0;
  if (target !== undefined && tokensAfter > target && options.keepLastTurns !== undefined) {
    const kept = dropOldTurns(entries, {
      prefixLength,
      keepLastTurns: options.keepLastTurns,
      excess: tokensAfter - target,
      tokensOf: (message) => countTokens.message(message),
    });
    droppedTurns = entries.length - kept.length;
    entries = kept;
    tokensAfter = requestTokens(outputRequest(request, entries), countTokens);
  }
  const methods: CompressionMethod[] = hasCompressible
    ? selected.output.methods
    : selects(options)
      ? ['select']
      : [];
  const shortfall = shortfallOf(target, tokensAfter, {
    keepLastTurns: options.keepLastTurns !== undefined,
    droppedTurns,
    selection: selected.output.shortfall,
  });
  return result(
    request,
    changedRequest(request, entries),
    { tokensBefore, tokensAfter, methods, ...(shortfall ? { shortfall } : {}) },
    started,
    options,
    {
      stablePrefix: prefixLength,
      compressibleTokens: selected.output.piecesTokens,
      removedTurns: prepared.removed,
      summarizedMessages: prepared.summarized,
      droppedTurns,
    },
  );
}

/** The target and why it was missed, when the output is above it. */
function shortfallOf(
  target: number | undefined,
  tokensAfter: number,
  why: { keepLastTurns: boolean; droppedTurns: number; selection: PiecesOutput['shortfall'] },
): CompressionShortfall | undefined {
  if (target === undefined || tokensAfter <= target) return undefined;
  const turnsLimited = why.keepLastTurns && (why.droppedTurns > 0 || why.selection === 'message-floor');
  return {
    targetTokens: target,
    reason: turnsLimited ? 'kept-last-turns' : (why.selection ?? 'whole-units'),
  };
}

/** Repeated exchanges dropped (with selection), older turns summarized (with `summarize`). */
async function prepareEntries(
  request: TokenomicsRequest,
  options: RequestCompressionOptions,
  prefixLength: number,
): Promise<{ entries: Entry[]; removed: number; summarized: number }> {
  const lastUserIndex = request.messages.findLastIndex((message) => message.role === 'user');
  let entries: Entry[] = request.messages.map((message, source) => ({ message, source }));
  if (options.dropRepeatedTurns !== false && selects(options)) {
    entries = dropRepeatedExchanges(entries, prefixLength, lastUserIndex);
  }
  const removed = request.messages.length - entries.length;
  if (!options.summarize) return { entries, removed, summarized: 0 };
  const summarized = await summarizeOlderTurns(entries, prefixLength, options);
  return { entries: summarized.entries, removed, summarized: summarized.replaced };
}

/**
 * Runs selection over the compressible parts of every slot, with one budget for the request: the
 * target minus what stays as it is. The compressible parts' tokens come from the units
 * compressPieces counts anyway.
 */
async function selectInSlots(
  request: TokenomicsRequest,
  entries: Entry[],
  slots: Slot[],
  context: { options: RequestCompressionOptions; target: number | undefined; countTokens: TokenCounter },
): Promise<{ entries: Entry[]; output: PiecesOutput }> {
  const { target, countTokens } = context;
  const currentTokens = requestTokens(outputRequest(request, entries), countTokens);
  const budget =
    target === undefined
      ? undefined
      : (compressible: number) => Math.max(0, target - (currentTokens - compressible));
  const pieces = slots.flatMap((slot) => slot.parts.filter((part) => part.compress).map((part) => part.text));
  // A part beside text that stays (its question) may be emptied; a message on its own may not.
  const keepOne = slots.flatMap((slot) => {
    const alone = slot.parts.every((part) => part.compress || part.text.trim().length === 0);
    return slot.parts.filter((part) => part.compress).map(() => alone);
  });
  const output = await compressPieces({
    texts: pieces,
    budget,
    options: context.options,
    countTokens,
    keepOne,
  });
  return { entries: rebuildEntries(entries, slots, output.texts), output };
}

/** The compressed request, or the input itself when no message changed. */
function changedRequest(
  request: TokenomicsRequest,
  entries: Entry[],
): { request: TokenomicsRequest; sources: Array<number | undefined> } {
  const changed =
    entries.length !== request.messages.length ||
    entries.some((entry, index) => entry.message !== request.messages[index]);
  return changed
    ? { request: outputRequest(request, entries), sources: entries.map((entry) => entry.source) }
    : { request, sources: request.messages.map((_, index) => index) };
}

function selects(options: CompressionOptions): boolean {
  return (
    (options.rate !== undefined || options.targetTokens !== undefined) &&
    (options.methods ?? ['select']).includes('select')
  );
}

function outputRequest(request: TokenomicsRequest, entries: Entry[]): TokenomicsRequest {
  return { ...request, messages: entries.map((entry) => entry.message) };
}

function result(
  input: TokenomicsRequest,
  output: { request: TokenomicsRequest; sources: Array<number | undefined> },
  counts: Omit<CompressionStats, 'ratio' | 'durationMs'>,
  started: number,
  options: RequestCompressionOptions,
  details: Record<string, unknown> = {},
): RequestCompressionResult {
  const stats: CompressionStats = {
    ...counts,
    ratio: counts.tokensAfter > 0 ? counts.tokensBefore / counts.tokensAfter : 1,
    durationMs: performance.now() - started,
  };
  if (output.request !== input && options.ledger) {
    recordCompression(options.ledger, {
      traceId: options.traceId,
      model: input.model,
      tokensBefore: stats.tokensBefore,
      tokensAfter: stats.tokensAfter,
      scope: input.scope,
    });
  }
  const dollars = options.pricing
    ? {
        dollarsSaved:
          options.pricing.cost(input.model, { inputTokens: stats.tokensBefore }) -
          options.pricing.cost(input.model, { inputTokens: stats.tokensAfter }),
      }
    : {};
  return {
    ...stats,
    request: output.request,
    sources: output.sources,
    trace: compressionTraceStep(stats, stats.skipped ? {} : { ...details, ...dollars }),
  };
}

/** Tokens of everything a provider would read: text, tool calls and results, tool definitions. */
export function requestTokens(request: TokenomicsRequest, countTokens: TokenCounter): number {
  const counter = 'message' in countTokens ? (countTokens as MessageCounter) : undefined;
  let total = 0;
  for (const message of request.messages) {
    total += counter ? counter.message(message) : messageTokens(message, countTokens);
  }
  if (request.tools?.length) total += countTokens(JSON.stringify(request.tools));
  return total;
}

function messageTokens(message: Message, countTokens: TokenCounter): number {
  let total = 0;
  for (const part of message.content) total += countTokens(partText(part));
  return total;
}

/** A counter that also counts whole messages, once per message object (unchanged ones are reused). */
type MessageCounter = TokenCounter & { message: (message: Message) => number };

function messageCounter(countTokens: TokenCounter): MessageCounter {
  const counts = new WeakMap<Message, number>();
  const counter = ((text: string) => countTokens(text)) as MessageCounter;
  counter.message = (message) => {
    let count = counts.get(message);
    if (count === undefined) {
      count = messageTokens(message, countTokens);
      counts.set(message, count);
    }
    return count;
  };
  return counter;
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

/** A text part and which of its parts the compressor may change. */
type Slot = { entry: number; part: number; parts: TextPart[] };

function compressibleSlots(
  entries: Entry[],
  prefixLength: number,
  lastUserSource: number | undefined,
  lastUserMode: 'auto' | 'whole' | 'question',
): Slot[] {
  const slots: Slot[] = [];
  entries.forEach((entry, index) => {
    if (entry.source !== undefined && entry.source < prefixLength) return;
    const mode = planMode(entry, lastUserSource, lastUserMode);
    if (mode === undefined) return;
    const lastTextPart = entry.message.content.findLastIndex((part) => part.type === 'text');
    entry.message.content.forEach((part, partIndex) => {
      if (part.type !== 'text' || part.text.trim().length === 0) return;
      // Only the last text part of the last user message holds its question.
      const partMode = mode === 'question' && partIndex !== lastTextPart ? 'all' : mode;
      slots.push({ entry: index, part: partIndex, parts: planText(part.text, partMode).parts });
    });
  });
  return slots;
}

function planMode(
  entry: Entry,
  lastUserSource: number | undefined,
  lastUserMode: 'auto' | 'whole' | 'question',
): PlanMode | undefined {
  const { role } = entry.message;
  if (role === 'system') return 'context';
  if (role !== 'user' && role !== 'assistant') return undefined;
  if (entry.source === undefined || entry.source !== lastUserSource) return 'all';
  if (lastUserMode === 'whole') return undefined;
  return lastUserMode === 'question' ? 'question' : 'context';
}

/** What selection ranks against: the question found in the last user message, or all of it. */
function questionOf(entries: Entry[], lastUserSource: number | undefined): string {
  const last = entries.find((entry) => entry.source === lastUserSource && entry.message.role === 'user');
  if (!last) return '';
  const text = messageText(last.message);
  // Without a marked question, its last paragraph (never the whole of a long message: the atoms
  // of the question — ids, numbers — are kept wherever they appear).
  return planText(text, 'question').question ?? text;
}

function rebuildEntries(entries: Entry[], slots: Slot[], texts: string[]): Entry[] {
  const out = [...entries];
  let next = 0;
  for (const slot of slots) {
    const joined = slot.parts.map((part) => (part.compress ? texts[next++]! : part.text)).join('');
    const entry = out[slot.entry]!;
    const original = entry.message.content[slot.part] as { type: 'text'; text: string };
    if (joined === original.text) continue;
    const content = [...entry.message.content];
    content[slot.part] = { ...original, text: joined };
    out[slot.entry] = { ...entry, message: { ...entry.message, content } };
  }
  return out;
}

/** Drops a user message and its assistant reply when the same pair appeared earlier. */
function dropRepeatedExchanges(entries: Entry[], prefixLength: number, lastUserIndex: number): Entry[] {
  const seen = new Set<string>();
  const out: Entry[] = entries.slice(0, prefixLength);
  for (let index = prefixLength; index < entries.length; index += 1) {
    const message = entries[index]!.message;
    const reply = entries[index + 1]?.message;
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
    out.push(entries[index]!);
  }
  return out;
}

function onlyText(message: Message): boolean {
  return message.content.every((part) => part.type === 'text');
}

async function summarizeOlderTurns(
  entries: Entry[],
  prefixLength: number,
  options: RequestCompressionOptions,
): Promise<{ entries: Entry[]; replaced: number }> {
  const keepRecent = options.keepRecentMessages ?? 6;
  const lastUser = entries.findLastIndex((entry) => entry.message.role === 'user');
  let cut = Math.min(entries.length - keepRecent, lastUser === -1 ? entries.length : lastUser);
  // Never separate a tool result from the call that asked for it.
  while (cut > prefixLength && entries[cut]?.message.role === 'tool') cut -= 1;
  if (cut - prefixLength < 2) return { entries, replaced: 0 };
  const older = entries.slice(prefixLength, cut);
  const summary = (await options.summarize!(older.map((entry) => entry.message))).trim();
  if (summary.length === 0) return { entries, replaced: 0 };
  const summaryEntry: Entry = {
    message: { role: 'user', content: [{ type: 'text', text: SUMMARY_HEADER + summary }] },
    source: undefined,
  };
  return {
    entries: [...entries.slice(0, prefixLength), summaryEntry, ...entries.slice(cut)],
    replaced: older.length,
  };
}
