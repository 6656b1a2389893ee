import type { CallbackManagerForChainRun } from '@langchain/core/callbacks/manager';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import {
  type BasePromptValueInterface,
  ChatPromptValue,
  StringPromptValue,
} from '@langchain/core/prompt_values';
import type { RunnableLike } from '@langchain/core/runnables';
import { Runnable, type RunnableConfig } from '@langchain/core/runnables';
import {
  type CompressionStats,
  compressText,
  recordCompression,
  type TraceStep,
  validateCompressionOptions,
} from '@tokenomics/core';
import {
  compressMessages,
  type MessagesCompressionOptions,
  modelIdOf,
  requireModelWithLedger,
} from './compress-messages';

export type CompressorInput = BaseMessage[] | string | BasePromptValueInterface;

export type PromptCompressorOptions = MessagesCompressionOptions & {
  /** Called after every compression with its tokens before and after, and its trace step. */
  onCompressed?: (result: CompressionStats & { trace: TraceStep }) => void;
};

/** The name of the custom callback event every compression dispatches (data: a `TraceStep`). */
export const COMPRESSION_EVENT = 'tokenomics_compression';

/**
 * A Runnable that compresses what flows from a prompt to a model: message lists, strings, and
 * prompt values, each returned as the same kind. Composes as `prompt.pipe(compressor).pipe(model)`.
 * Each run appears in LangChain tracing with the compression's trace step as a custom event.
 */
export class PromptCompressor extends Runnable<CompressorInput, CompressorInput> {
  static override lc_name() {
    return 'PromptCompressor';
  }

  override lc_namespace = ['tokenomics', 'compression'];

  private readonly options: PromptCompressorOptions;

  /** Checks the options here, so a wrong `rate` fails where the compressor is created. */
  constructor(options: PromptCompressorOptions = {}) {
    // Options hold functions (hooks, embedders): they are not serializable constructor kwargs.
    super();
    validateCompressionOptions(options);
    this.options = options;
  }

  /**
   * `compressor.pipe(chatModel)` also tells the compressor its model, so the ledger records the
   * compression under the model that reads the prompt.
   */
  override pipe<NewRunOutput>(
    coerceable: RunnableLike<CompressorInput, NewRunOutput>,
  ): Runnable<CompressorInput, Exclude<NewRunOutput, Error>> {
    const model: unknown = coerceable;
    if (this.options.model === undefined && isChatModel(model)) {
      return new PromptCompressor({ ...this.options, model }).pipeUnchanged(coerceable);
    }
    return super.pipe(coerceable);
  }

  private pipeUnchanged<NewRunOutput>(
    coerceable: RunnableLike<CompressorInput, NewRunOutput>,
  ): Runnable<CompressorInput, Exclude<NewRunOutput, Error>> {
    return super.pipe(coerceable);
  }

  override async invoke(input: CompressorInput, config?: RunnableConfig): Promise<CompressorInput> {
    return this._callWithConfig(
      (value: CompressorInput, _config?: Partial<RunnableConfig>, runManager?: CallbackManagerForChainRun) =>
        this.compress(value, runManager),
      input,
      { ...config, runType: 'prompt_compressor' },
    );
  }

  private async compress(
    input: CompressorInput,
    runManager?: CallbackManagerForChainRun,
  ): Promise<CompressorInput> {
    const { onCompressed, ...options } = this.options;
    const report = async (result: CompressionStats & { trace: TraceStep }) => {
      onCompressed?.(result);
      await runManager?.handleCustomEvent(COMPRESSION_EVENT, result.trace);
    };
    if (typeof input === 'string') {
      const result = await this.compressString(input);
      await report(result);
      return result.text;
    }
    if (Array.isArray(input)) {
      const result = await compressMessages(input, options);
      await report(result);
      return result.messages;
    }
    if ('messages' in input) {
      const result = await compressMessages(input.toChatMessages(), options);
      await report(result);
      return new ChatPromptValue(result.messages);
    }
    const result = await this.compressString(input.toString());
    await report(result);
    return new StringPromptValue(result.text);
  }

  /** A string prompt: compressed as text, recorded in the ledger like a message list. */
  private async compressString(text: string) {
    const { onCompressed: _hook, model, ledger, traceId, telemetry: _telemetry, ...options } = this.options;
    requireModelWithLedger(this.options);
    const result = await compressText(text, options);
    if (ledger && model !== undefined && result.tokensAfter !== result.tokensBefore) {
      recordCompression(ledger, {
        traceId,
        model: modelIdOf(model),
        tokensBefore: result.tokensBefore,
        tokensAfter: result.tokensAfter,
      });
    }
    return result;
  }
}

function isChatModel(value: unknown): value is BaseChatModel {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { _llmType?: unknown })._llmType === 'function' &&
    typeof (value as { invoke?: unknown }).invoke === 'function'
  );
}
