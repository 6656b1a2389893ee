import type {
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  SharedV4ProviderMetadata,
} from '@ai-sdk/provider';
import type { CachedResponse, ResponseContent } from '@tokenomics/core';
import { toCoreFinishReason, toCoreUsage } from './cache-usage';

/** `CachedResponse.replay.format` of an answer recorded from a stream, part for part. */
export const STREAM_REPLAY_FORMAT = 'ai-sdk-v4-stream';
/** `CachedResponse.replay.format` of an answer recorded from `doGenerate`: its content parts. */
export const GENERATE_REPLAY_FORMAT = 'ai-sdk-v4-generate';

/**
 * A stored answer decoded for the AI SDK. `streamParts` is set when the answer was recorded
 * from a stream, so a stream hit can replay exactly those parts; otherwise parts are rebuilt
 * from `content`.
 */
export type CachedAnswer = {
  content: LanguageModelV4Content[];
  finishReason: LanguageModelV4FinishReason;
  providerMetadata?: SharedV4ProviderMetadata;
  structuredOutputText?: string;
  modelId?: string;
  streamParts?: LanguageModelV4StreamPart[];
};

/** What the cache stores for a `doGenerate` result. */
export function cachedResponseFromGenerateResult(result: LanguageModelV4GenerateResult): CachedResponse {
  const metadata: Record<string, unknown> = {};
  if (result.response?.modelId !== undefined) metadata.modelId = result.response.modelId;
  if (result.providerMetadata !== undefined) metadata.providerMetadata = result.providerMetadata;
  if (result.structuredOutputText !== undefined) metadata.structuredOutputText = result.structuredOutputText;
  if (result.finishReason.raw !== undefined) metadata.rawFinishReason = result.finishReason.raw;
  return {
    content: result.content.flatMap(toResponseContent),
    finishReason: toCoreFinishReason(result.finishReason),
    usage: toCoreUsage(result.usage),
    metadata,
    replay: { format: GENERATE_REPLAY_FORMAT, parts: result.content.map(jsonSafe) },
  };
}

/**
 * What the cache stores for a recorded stream. `parts` must end with the `finish` part;
 * returns undefined when there is none (the stream did not complete).
 */
export function cachedResponseFromStreamParts(
  parts: LanguageModelV4StreamPart[],
): CachedResponse | undefined {
  const finish = parts.findLast((part) => part.type === 'finish');
  if (!finish) return undefined;
  const content = contentFromStreamParts(parts);
  const metadata: Record<string, unknown> = {};
  const responseMetadata = parts.find((part) => part.type === 'response-metadata');
  if (responseMetadata?.modelId !== undefined) metadata.modelId = responseMetadata.modelId;
  if (finish.providerMetadata !== undefined) metadata.providerMetadata = finish.providerMetadata;
  if (finish.finishReason.raw !== undefined) metadata.rawFinishReason = finish.finishReason.raw;
  return {
    content: content.flatMap(toResponseContent),
    finishReason: toCoreFinishReason(finish.finishReason),
    usage: toCoreUsage(finish.usage),
    metadata,
    replay: {
      format: STREAM_REPLAY_FORMAT,
      parts: parts.filter((part) => part.type !== 'raw').map(jsonSafe),
    },
  };
}

/**
 * Decodes a stored answer, whichever way it was written: recorded from a stream, from
 * `doGenerate`, or by another adapter (then only its neutral content is available).
 * A recording that does not have the expected shape is ignored in favour of the neutral content.
 */
export function readCachedAnswer(response: CachedResponse): CachedAnswer {
  const metadata = response.metadata ?? {};
  const finishReason: LanguageModelV4FinishReason = {
    unified: response.finishReason,
    raw: typeof metadata.rawFinishReason === 'string' ? metadata.rawFinishReason : undefined,
  };
  const answer: CachedAnswer = { content: [], finishReason };
  if (isRecord(metadata.providerMetadata)) {
    answer.providerMetadata = metadata.providerMetadata as SharedV4ProviderMetadata;
  }
  if (typeof metadata.structuredOutputText === 'string')
    answer.structuredOutputText = metadata.structuredOutputText;
  if (typeof metadata.modelId === 'string') answer.modelId = metadata.modelId;

  const replay = response.replay;
  if (replay?.format === STREAM_REPLAY_FORMAT && isStreamRecording(replay.parts)) {
    answer.streamParts = replay.parts.map(revive);
    answer.content = contentFromStreamParts(answer.streamParts);
  } else if (replay?.format === GENERATE_REPLAY_FORMAT && isContentRecording(replay.parts)) {
    answer.content = replay.parts.map(revive);
  } else {
    answer.content = response.content.map(fromResponseContent);
  }
  return answer;
}

/** The content parts a stream adds up to, in the order their blocks started. */
export function contentFromStreamParts(parts: LanguageModelV4StreamPart[]): LanguageModelV4Content[] {
  const content: LanguageModelV4Content[] = [];
  const openText = new Map<string, { type: 'text'; text: string } & Partial<LanguageModelV4Content>>();
  const openReasoning = new Map<
    string,
    { type: 'reasoning'; text: string } & Partial<LanguageModelV4Content>
  >();
  for (const part of parts) {
    switch (part.type) {
      case 'text-start': {
        const block = { type: 'text' as const, text: '', ...withMetadata(part.providerMetadata) };
        openText.set(part.id, block);
        content.push(block);
        break;
      }
      case 'text-delta': {
        const block = openText.get(part.id);
        if (block) block.text += part.delta;
        break;
      }
      case 'text-end': {
        const block = openText.get(part.id) as
          | { citations?: unknown; providerMetadata?: unknown }
          | undefined;
        if (block && part.citations !== undefined) block.citations = part.citations;
        if (block && part.providerMetadata !== undefined) block.providerMetadata = part.providerMetadata;
        openText.delete(part.id);
        break;
      }
      case 'reasoning-start': {
        const block = { type: 'reasoning' as const, text: '', ...withMetadata(part.providerMetadata) };
        openReasoning.set(part.id, block);
        content.push(block);
        break;
      }
      case 'reasoning-delta': {
        const block = openReasoning.get(part.id);
        if (block) block.text += part.delta;
        break;
      }
      case 'reasoning-end': {
        const block = openReasoning.get(part.id) as { providerMetadata?: unknown } | undefined;
        if (block && part.providerMetadata !== undefined) block.providerMetadata = part.providerMetadata;
        openReasoning.delete(part.id);
        break;
      }
      case 'tool-call':
      case 'tool-result':
      case 'tool-approval-request':
      case 'file':
      case 'reasoning-file':
      case 'source':
      case 'custom':
        content.push(part);
        break;
      default:
        // tool-input-* are previews of the tool-call part; the rest carry no content.
        break;
    }
  }
  return content;
}

/**
 * Stream parts for an answer that was not recorded from a stream: one block per content part,
 * each text in a single delta, and each tool call preceded by its input parts as providers send them.
 */
export function streamPartsFromContent(answer: CachedAnswer): LanguageModelV4StreamPart[] {
  const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: [] }];
  if (answer.modelId !== undefined) parts.push({ type: 'response-metadata', modelId: answer.modelId });
  answer.content.forEach((item, index) => {
    const id = String(index);
    switch (item.type) {
      case 'text':
        parts.push({ type: 'text-start', id });
        parts.push({ type: 'text-delta', id, delta: item.text });
        parts.push({
          type: 'text-end',
          id,
          ...(item.citations ? { citations: item.citations } : {}),
          ...withMetadata(item.providerMetadata),
        });
        break;
      case 'reasoning':
        parts.push({ type: 'reasoning-start', id });
        parts.push({ type: 'reasoning-delta', id, delta: item.text });
        parts.push({ type: 'reasoning-end', id, ...withMetadata(item.providerMetadata) });
        break;
      case 'tool-call':
        parts.push({
          type: 'tool-input-start',
          id: item.toolCallId,
          toolName: item.toolName,
          ...(item.providerExecuted !== undefined ? { providerExecuted: item.providerExecuted } : {}),
          ...(item.dynamic !== undefined ? { dynamic: item.dynamic } : {}),
        });
        parts.push({ type: 'tool-input-delta', id: item.toolCallId, delta: item.input });
        parts.push({ type: 'tool-input-end', id: item.toolCallId });
        parts.push(item);
        break;
      default:
        parts.push(item);
    }
  });
  return parts;
}

function toResponseContent(part: LanguageModelV4Content): ResponseContent[] {
  switch (part.type) {
    case 'text':
      return [{ type: 'text', text: part.text }];
    case 'reasoning':
      return [{ type: 'reasoning', text: part.text }];
    case 'tool-call':
      return [
        {
          type: 'tool-call',
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: parseJson(part.input),
        },
      ];
    default:
      // Files, sources and provider-executed results live only in the AI SDK recording.
      return [];
  }
}

function fromResponseContent(part: ResponseContent): LanguageModelV4Content {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return { type: part.type, text: part.text };
    case 'tool-call':
      return {
        type: 'tool-call',
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        input: JSON.stringify(part.input ?? {}),
      };
  }
}

const CONTENT_TYPES = new Set<string>([
  'text',
  'reasoning',
  'custom',
  'reasoning-file',
  'file',
  'tool-approval-request',
  'source',
  'tool-call',
  'tool-result',
]);

const STREAM_PART_TYPES = new Set<string>([
  ...CONTENT_TYPES,
  'text-start',
  'text-delta',
  'text-end',
  'reasoning-start',
  'reasoning-delta',
  'reasoning-end',
  'tool-input-start',
  'tool-input-delta',
  'tool-input-end',
  'stream-start',
  'response-metadata',
  'finish',
]);

function isStreamRecording(parts: unknown[]): parts is LanguageModelV4StreamPart[] {
  return (
    parts.every(
      (part) => isRecord(part) && typeof part.type === 'string' && STREAM_PART_TYPES.has(part.type),
    ) && parts.some((part) => isRecord(part) && part.type === 'finish')
  );
}

function isContentRecording(parts: unknown[]): parts is LanguageModelV4Content[] {
  return parts.every(
    (part) => isRecord(part) && typeof part.type === 'string' && CONTENT_TYPES.has(part.type),
  );
}

/**
 * Stored payloads are JSON: bytes become base64 (which the AI SDK accepts for file data) and
 * dates become ISO strings, turned back into dates by `revive`.
 */
function jsonSafe<Part extends LanguageModelV4StreamPart | LanguageModelV4Content>(part: Part): Part {
  if ((part.type === 'file' || part.type === 'reasoning-file') && part.data.type === 'data') {
    const { data } = part.data;
    if (data instanceof Uint8Array) {
      return { ...part, data: { type: 'data', data: Buffer.from(data).toString('base64') } };
    }
  }
  if (part.type === 'response-metadata' && part.timestamp instanceof Date) {
    return { ...part, timestamp: part.timestamp.toISOString() as unknown as Date };
  }
  return part;
}

function revive<Part extends LanguageModelV4StreamPart | LanguageModelV4Content>(part: Part): Part {
  if (part.type === 'response-metadata' && typeof part.timestamp === 'string') {
    return { ...part, timestamp: new Date(part.timestamp) };
  }
  if ((part.type === 'file' || part.type === 'reasoning-file') && part.data.type === 'url') {
    const url = part.data.url as unknown;
    if (typeof url === 'string') return { ...part, data: { ...part.data, url: new URL(url) } };
  }
  return part;
}

function withMetadata(providerMetadata: SharedV4ProviderMetadata | undefined): {
  providerMetadata?: SharedV4ProviderMetadata;
} {
  return providerMetadata === undefined ? {} : { providerMetadata };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
