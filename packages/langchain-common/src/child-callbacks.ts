import type { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { CallbackManager, type CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';

/**
 * Callbacks for the run of a model that a wrapper (the router, the streaming cache) calls. The
 * caller's own handlers (token callbacks, `streamEvents`) see the wrapper's run only: a tier's run
 * may be a cascade's rejected answer, and the answer's tokens reach the caller once, through the
 * wrapper. The inner run goes to `childHandlers`, and to a LangSmith tracer when the caller has
 * one, nested under the wrapper's run so a trace shows every paid call with its own model.
 */
export function childCallbacks(
  runManager: CallbackManagerForLLMRun | undefined,
  tag: string,
  childHandlers: readonly BaseCallbackHandler[],
): CallbackManager | BaseCallbackHandler[] {
  if (!runManager) return [...childHandlers];
  const inherited = runManager as unknown as {
    inheritableHandlers: BaseCallbackHandler[];
    inheritableTags: string[];
    inheritableMetadata: Record<string, unknown>;
  };
  const manager = new CallbackManager(runManager.runId);
  manager.setHandlers([...(inherited.inheritableHandlers ?? []).filter(isRunTreeTracer), ...childHandlers]);
  manager.addTags(inherited.inheritableTags ?? []);
  manager.addMetadata(inherited.inheritableMetadata ?? {});
  manager.addTags([tag], false);
  return manager;
}

/** LangSmith's tracer records the run tree for inspection; it neither streams nor answers anyone. */
function isRunTreeTracer(handler: BaseCallbackHandler): boolean {
  return handler.name === 'langchain_tracer';
}
