import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type {
  BaseChatModel,
  BaseChatModelCallOptions,
  BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import type { RouterEngine } from '@tokenomics/core';
import { compressMessages, type MessagesCompressionOptions } from '@tokenomics/langchain-compression';
import { getRouteMetadata } from '@tokenomics/langchain-router';
import { decideShadowRoute, SHADOW_ROUTE_METADATA_KEY, type ShadowRoute } from './shadow-route';
import { WrappingChatModel } from './wrapping-chat-model';

/** The `response_metadata` key with what compression did (kept when the cache stores the answer). */
export const COMPRESSION_METADATA_KEY = 'tokenomicsCompression';
/** The `response_metadata` key naming the model that answered (kept when the cache stores the answer). */
export const ANSWER_METADATA_KEY = 'tokenomicsAnswer';

export type CompressionReport = { tokensBefore: number; tokensAfter: number; shadow?: boolean };

type Compressed = { send: BaseMessage[]; report?: CompressionReport; route?: ShadowRoute };

export type CompressingChatModelFields = {
  /** The model that answers: a router, or any chat model. */
  model: BaseChatModel | Runnable;
  /** The id the answering model is priced under, when no router reports one. */
  modelId: string;
  /** Off (`false`) passes the messages through. */
  compression: MessagesCompressionOptions | false;
  /** Compress and report, but send the original messages. */
  shadow?: boolean;
  /** Shadow routing: this router decides each call's tier (reported), while `model` answers. */
  shadowRouter?: RouterEngine;
};

/**
 * The stages after the cache: compresses the messages (the question, system instructions and
 * tool messages stay byte for byte), then calls the model. Its answer says what compression did
 * and which model answered, in `response_metadata`, so the pipeline's ledger can split the saving.
 */
export class CompressingChatModel extends WrappingChatModel<CompressingChatModelFields> {
  static override lc_name(): string {
    return 'CompressingChatModel';
  }

  override _llmType(): string {
    return 'tokenomics-compressing';
  }

  /** What the cache keys on: the answering model's identity, so entries never cross models. */
  override _identifyingParams(): Record<string, unknown> {
    const inner = this.model as { _identifyingParams?: () => Record<string, unknown> };
    return inner._identifyingParams?.() ?? { model: this.fields.modelId };
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<BaseChatModelCallOptions>,
  ): CompressingChatModel {
    return new CompressingChatModel(this.withBoundTools(tools, kwargs));
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const compressed = await this.compress(messages);
    const message = await this.invokeInner(compressed.send, options);
    message.response_metadata = { ...message.response_metadata, ...this.stageMetadata(message, compressed) };
    return { generations: [{ text: message.text, message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const compressed = await this.compress(messages);
    const assembled = yield* this.relay(compressed.send, options, runManager);
    // A closing empty chunk carries the metadata: chunks merge their response_metadata.
    const metadata = this.stageMetadata(assembled, compressed);
    yield new ChatGenerationChunk({
      text: '',
      message: new AIMessageChunk({ content: '', response_metadata: metadata }),
    });
  }

  private async compress(messages: BaseMessage[]): Promise<Compressed> {
    const { shadowRouter } = this.fields;
    const route = shadowRouter ? await decideShadowRoute(shadowRouter, messages) : undefined;
    const compressed = await this.compressMessages(messages);
    return route ? { ...compressed, route } : compressed;
  }

  private async compressMessages(messages: BaseMessage[]): Promise<Compressed> {
    const { compression, shadow } = this.fields;
    if (!compression) return { send: messages };
    const result = await compressMessages(messages, compression);
    const report: CompressionReport = { tokensBefore: result.tokensBefore, tokensAfter: result.tokensAfter };
    if (shadow) return { send: messages, report: { ...report, shadow: true } };
    return { send: result.messages, report };
  }

  private stageMetadata(
    message: BaseMessage | undefined,
    { report, route: shadowRoute }: Compressed,
  ): Record<string, unknown> {
    const route = getRouteMetadata(message);
    const metadata: Record<string, unknown> = {
      [ANSWER_METADATA_KEY]: { model: route?.route.model ?? this.fields.modelId },
    };
    if (report) metadata[COMPRESSION_METADATA_KEY] = { ...report };
    if (shadowRoute) metadata[SHADOW_ROUTE_METADATA_KEY] = { ...shadowRoute };
    return metadata;
  }
}
