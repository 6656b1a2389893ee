import type { BaseChatModel, LangSmithParams } from '@langchain/core/language_models/chat_models';
import { toTokenomicsRequest } from './messages-to-request';

/**
 * LangSmith's params for a wrapper's run, taken from the chat model that answers it (its model
 * name and provider, as that model reports them), so the run is labelled and priced by the model
 * that ran instead of by the wrapper's class name. A chat model that does not name its model is
 * named from its provider-qualified id (`<provider>:<model>`, as the cache and the router read it).
 */
export function innerLsParams(
  model: BaseChatModel,
  options: Parameters<BaseChatModel['getLsParams']>[0],
  modelId: string = chatModelId(model),
): LangSmithParams {
  const own = model.getLsParams(options);
  const params: LangSmithParams = { ...withoutUndefined(own), ls_model_type: 'chat' };
  if (!own.ls_model_name) {
    const [provider, ...name] = modelId.split(':');
    params.ls_provider = name.length > 0 ? provider : own.ls_provider;
    params.ls_model_name = name.length > 0 ? name.join(':') : modelId;
  }
  return { ...params, ls_model_type: 'chat', ls_stop: options.stop };
}

/** The provider-qualified id of a chat model (`<_llmType>:<model name>`), or its class name. */
export function chatModelId(model: BaseChatModel): string {
  const id = toTokenomicsRequest([], { model }).model;
  return id === 'unknown' ? model.getName() : id;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
