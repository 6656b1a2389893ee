import { canonicalJson } from '../util/canonical-json';
import { sha256Hex } from '../util/hash';
import type { ContentPart, Message, TokenomicsRequest } from './request';
import { semanticText } from './semantic-text';

const KEY_VERSION = 1;
/** Version of the semantic partition: 2 added the user turns' context digest. */
const PARTITION_VERSION = 2;

/**
 * A stable hash of everything that changes the answer: model, settings, the whole
 * conversation (media by content hash), tools, tool choice, response format and scope.
 * Object key order does not matter; fields the request model does not carry
 * (abort signals, headers, callbacks) cannot reach it.
 */
export function exactKey(request: TokenomicsRequest): string {
  return sha256Hex(
    canonicalJson({
      v: KEY_VERSION,
      model: request.model,
      messages: request.messages.map(keyedMessage),
      tools: request.tools ?? [],
      toolChoice: request.toolChoice ?? null,
      settings: request.settings ?? {},
      scope: request.scope ?? {},
    }),
  );
}

/**
 * The partition a semantic lookup searches: everything that must be identical for two
 * requests to share an answer, other than the question itself (which the semantic stage
 * compares by meaning). Two requests with different scope, model, settings, system prompt,
 * tools, earlier user turns or documents around the question never share a partition
 * (compared by full hash, never by a tail), and neither do two follow-ups whose earlier
 * assistant turns differ: "What are its types?" after "Python." must not be answered with
 * what was said after "Rust.".
 */
export function semanticPartitionKey(
  request: TokenomicsRequest,
  semantic: ReturnType<typeof semanticText> = semanticText(request),
): string {
  return sha256Hex(
    canonicalJson({
      v: PARTITION_VERSION,
      // Everything the user sent besides the question, compared whole: earlier turns, documents.
      context: semantic.ok ? semantic.text.context : 'not-semantic',
      model: request.model,
      system: request.messages.filter((message) => message.role === 'system').map(keyedMessage),
      assistant: request.messages.filter((message) => message.role === 'assistant').map(keyedMessage),
      tools: request.tools ?? [],
      toolChoice: request.toolChoice ?? null,
      settings: request.settings ?? {},
      scope: request.scope ?? {},
    }),
  );
}

/** The key of a scope alone, for invalidating everything a tenant, user or namespace owns. */
export function scopeKey(scope: TokenomicsRequest['scope']): string {
  return sha256Hex(canonicalJson(scope ?? {}));
}

function keyedMessage(message: Message): unknown {
  return { role: message.role, content: message.content.map(keyedPart) };
}

function keyedPart(part: ContentPart): unknown {
  if (part.type === 'media') {
    return {
      type: 'media',
      mediaType: part.mediaType,
      sha256: sha256Hex(part.data),
      filename: part.filename,
    };
  }
  return part;
}
