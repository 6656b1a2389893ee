import type { SemanticText } from '../request/semantic-text';
import type { CachedResponse, FinishReason, ResponseContent } from './cached-response';

/**
 * What a cache entry's payload holds: the answer, and for semantic entries the text that was
 * embedded (the guards and the verifier compare it with a new query) and the context vector
 * (follow-ups only match when their contexts match too).
 */
export type CacheEntryPayload = {
  response: CachedResponse;
  semantic?: SemanticText & { contextVector?: Float32Array };
};

const PAYLOAD_VERSION = 1;

export function encodeCacheEntry(payload: CacheEntryPayload): string {
  const semantic = payload.semantic
    ? {
        query: payload.semantic.query,
        context: payload.semantic.context,
        contextVector: payload.semantic.contextVector
          ? encodeVector(payload.semantic.contextVector)
          : undefined,
      }
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
  let contextVector: Float32Array | undefined;
  if (semantic.contextVector !== undefined) {
    if (typeof semantic.contextVector !== 'string')
      return { ok: false, reason: 'context vector is not a string' };
    contextVector = decodeVector(semantic.contextVector);
    if (!contextVector) return { ok: false, reason: 'context vector is not valid' };
  }
  return {
    ok: true,
    payload: { response, semantic: { query: semantic.query, context: semantic.context, contextVector } },
  };
}

const FINISH_REASONS: ReadonlySet<FinishReason> = new Set([
  'stop',
  'length',
  'tool-calls',
  'content-filter',
  'error',
  'other',
]);

function checkResponse(value: unknown): CachedResponse | string {
  if (!isRecord(value)) return 'response is missing';
  if (!Array.isArray(value.content)) return 'response content is not an array';
  for (const part of value.content) {
    const problem = checkContentPart(part);
    if (problem) return problem;
  }
  if (!FINISH_REASONS.has(value.finishReason as FinishReason)) return 'response finish reason is unknown';
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

function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

function decodeVector(text: string): Float32Array | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength === 0 || bytes.byteLength % 4 !== 0) return undefined;
  // Copy into a fresh, aligned buffer: Buffer pooling may hand back an unaligned offset.
  const vector = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(vector.buffer).set(bytes);
  for (const value of vector) if (!Number.isFinite(value)) return undefined;
  return vector;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
