import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import {
  compressRequest,
  InvalidCompressionOptionsError,
  type RequestCompressionOptions,
  type RequestCompressionResult,
  type TelemetrySettings,
  traceCompression,
} from '@tokenomics/core';
import { toTokenomicsRequest } from '@tokenomics/langchain-common';
import { messagesToRequest, requestToMessages } from './messages-to-request';

export type MessagesCompressionOptions = RequestCompressionOptions & {
  /**
   * The chat model the messages go to (or its provider-qualified id, e.g. `openai:gpt-4o-mini`):
   * its token encoding counts the tokens, and the ledger records the compression under it.
   * Required with `ledger`.
   */
  model?: BaseChatModel | string;
  /**
   * OpenTelemetry: each compression is a `tokenomics.compression` span (tokens before and after,
   * ratio). Default: recorded through `@opentelemetry/api` when installed; `isEnabled: false` turns it off.
   */
  telemetry?: TelemetrySettings;
};

export type MessagesCompressionResult = Omit<RequestCompressionResult, 'request' | 'sources'> & {
  messages: BaseMessage[];
};

/**
 * The function form: compresses a LangChain message list with the core compressor. The
 * instructions of system messages, tool calls and tool messages, non-text blocks and the
 * question come back unchanged; untouched messages are the same objects.
 */
export async function compressMessages(
  messages: BaseMessage[],
  options: MessagesCompressionOptions = {},
): Promise<MessagesCompressionResult> {
  const { model, telemetry, ...compression } = options;
  requireModelWithLedger(options);
  const request = messagesToRequest(messages, model === undefined ? undefined : modelIdOf(model));
  const {
    request: compressed,
    sources,
    ...stats
  } = await traceCompression(telemetry, request, () =>
    compressRequest(request, {
      ...compression,
      stablePrefix: stablePrefixOf(messages, compression.stablePrefix),
    }),
  );
  return { ...stats, messages: requestToMessages(compressed, messages, sources) };
}

/** A ledger prices each compression for its model, so one cannot be recorded without it. */
export function requireModelWithLedger(options: MessagesCompressionOptions): void {
  if (options.ledger && options.model === undefined) {
    throw new InvalidCompressionOptionsError(
      'A ledger records each compression under its model: pass model (the chat model, or its id such as "openai:gpt-4o-mini"), or pipe the compressor straight into the chat model.',
    );
  }
}

/**
 * The model's provider-qualified id, read as the cache and the router read it (its identifying
 * params, `<type>:<model name>`), else from its LangSmith params (`ls_provider:ls_model_name`).
 */
export function modelIdOf(model: BaseChatModel | string): string {
  if (typeof model === 'string') return model;
  const id = toTokenomicsRequest([], { model }).model;
  if (id.includes(':')) return id;
  const ls = model.getLsParams?.({} as never);
  if (ls?.ls_model_name) return `${ls.ls_provider ?? id}:${ls.ls_model_name}`;
  return id === 'unknown' ? model.getName() : id;
}

/**
 * Messages never changed: the `stablePrefix` option (default 0: system messages keep their
 * instructions anyway), extended through the last message carrying a provider cache breakpoint
 * (`cache_control` on the message or one of its content blocks), since the provider caches
 * everything up to it.
 */
function stablePrefixOf(messages: BaseMessage[], configured: number | undefined): number {
  let prefix = configured ?? 0;
  messages.forEach((message, index) => {
    const blocks = typeof message.content === 'string' ? [] : (message.content as unknown[]);
    const marked = [message.additional_kwargs, message.response_metadata, ...blocks].some(
      (value) =>
        value !== undefined && /"(?:cache_control|cacheControl|cachePoint)"/.test(JSON.stringify(value)),
    );
    if (marked) prefix = Math.max(prefix, index + 1);
  });
  return prefix;
}
