import type { SemanticText } from '../request/semantic-text';
import type { CachedResponse, FinishReason, ResponseContent } from './cached-response';

/**
 * What a cache entry's payload holds: the answer, and for semantic entries the question that was
 * embedded (the guards and the verifier compare it with a new one) and the digest of what
 * surrounded it (earlier turns, attached documents), which must be identical for a hit.
 */
export type CacheEntryPayload = {
  response: CachedResponse;
  semantic?: SemanticText;
};

/** Answers worth keeping: a complete text answer or a complete tool call. Nothing else is stored or read back. */
export const STORABLE_FINISH_REASONS: ReadonlySet<FinishReason> = new Set(['stop', 'tool-calls']);

const PAYLOAD_VERSION = 1;

export function encodeCacheEntry(payload: CacheEntryPayload): string {
  const semantic = payload.semantic
    ? { query: payload.semantic.query, context: payload.semantic.context }
    : undefined;
  return JSON.stringify({ v: PAYLOAD_VERSION, response: payload.response, semantic });
}

export type DecodeResult = { ok: true; payload: CacheEntryPayload } | { ok: false; reason: string };

/** Parses and checks a stored payload. Anything unexpected is a failure, never a partial answer. */
export function decodeCacheEntry(text: string): DecodeResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'payload is not valid JSON' };
  }
  if (!isRecord(raw)) return { ok: false, reason: 'payload is not an object' };
  if (raw.v !== PAYLOAD_VERSION) return { ok: false, reason: `unknown payload version ${String(raw.v)}` };
  const response = checkResponse(raw.response);
  if (typeof response === 'string') return { ok: false, reason: response };
  if (raw.semantic === undefined) return { ok: true, payload: { response } };
  const semantic = raw.semantic;
  if (!isRecord(semantic) || typeof semantic.query !== 'string' || typeof semantic.context !== 'string') {
    return { ok: false, reason: 'semantic text has the wrong shape' };
  }
  // Entries written before 0.3 also carry a `contextVector`; it is no longer read.
  return { ok: true, payload: { response, semantic: { query: semantic.query, context: semantic.context } } };
}

function checkResponse(value: unknown): CachedResponse | string {
  if (!isRecord(value)) return 'response is missing';
  if (!Array.isArray(value.content)) return 'response content is not an array';
  for (const part of value.content) {
    const problem = checkContentPart(part);
    if (problem) return problem;
  }
  if (!STORABLE_FINISH_REASONS.has(value.finishReason as FinishReason))
    return `response finish reason ${JSON.stringify(value.finishReason)} is never stored`;
  if (!isRecord(value.usage)) return 'response usage is missing';
  for (const field of ['inputTokens', 'cachedInputTokens', 'outputTokens', 'reasoningTokens']) {
    const count = value.usage[field];
    if (count !== undefined && (typeof count !== 'number' || !Number.isFinite(count)))
      return `usage ${field} is not a number`;
  }
  if (value.metadata !== undefined && !isRecord(value.metadata)) return 'response metadata is not an object';
  if (value.replay !== undefined) {
    if (
      !isRecord(value.replay) ||
      typeof value.replay.format !== 'string' ||
      !Array.isArray(value.replay.parts)
    ) {
      return 'response replay has the wrong shape';
    }
  }
  return value as CachedResponse;
}

function checkContentPart(part: unknown): string | undefined {
  if (!isRecord(part)) return 'content part is not an object';
  const typed = part as Partial<Record<string, unknown>> & { type?: ResponseContent['type'] };
  switch (typed.type) {
    case 'text':
    case 'reasoning':
      return typeof typed.text === 'string' ? undefined : `${typed.type} part has no text`;
    case 'tool-call':
      return typeof typed.toolCallId === 'string' && typeof typed.toolName === 'string' && 'input' in typed
        ? undefined
        : 'tool-call part has the wrong shape';
    default:
      return `unknown content part type ${String(typed.type)}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
