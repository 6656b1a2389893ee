import type { CallbackManagerForChainRun } from '@langchain/core/callbacks/manager';
import type { BaseMessage } from '@langchain/core/messages';
import {
  type BasePromptValueInterface,
  ChatPromptValue,
  StringPromptValue,
} from '@langchain/core/prompt_values';
import { Runnable, type RunnableConfig } from '@langchain/core/runnables';
import {
  type CompressionStats,
  compressText,
  type RequestCompressionOptions,
  type TraceStep,
} from '@tokenomics/core';
import { compressMessages } from './compress-messages';

export type CompressorInput = BaseMessage[] | string | BasePromptValueInterface;

export type PromptCompressorOptions = RequestCompressionOptions & {
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

  constructor(options: PromptCompressorOptions = {}) {
    // Options hold functions (hooks, embedders): they are not serializable constructor kwargs.
    super();
    this.options = options;
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
      const result = await compressText(input, options);
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
    const result = await compressText(input.toString(), options);
    await report(result);
    return new StringPromptValue(result.text);
  }
}
