import type { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { CallbackManager, type CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';

/**
 * Callbacks for a tier's run. The caller's own handlers (token callbacks, `streamEvents`) see the
 * router's run only: a tier's run may be a cascade's rejected answer, and the accepted answer's
 * tokens reach the caller once, through the router. The tier runs go to `tierHandlers`, and to a
 * LangSmith tracer when the caller has one, nested under the router's run so a trace shows every
 * paid call.
 */
export function childCallbacks(
  runManager: CallbackManagerForLLMRun | undefined,
  tag: string,
  tierHandlers: readonly BaseCallbackHandler[],
): CallbackManager | BaseCallbackHandler[] {
  if (!runManager) return [...tierHandlers];
  const inherited = runManager as unknown as {
    inheritableHandlers: BaseCallbackHandler[];
    inheritableTags: string[];
    inheritableMetadata: Record<string, unknown>;
  };
  const manager = new CallbackManager(runManager.runId);
  manager.setHandlers([...(inherited.inheritableHandlers ?? []).filter(isRunTreeTracer), ...tierHandlers]);
  manager.addTags(inherited.inheritableTags ?? []);
  manager.addMetadata(inherited.inheritableMetadata ?? {});
  manager.addTags([tag], false);
  return manager;
}

/** LangSmith's tracer records the run tree for inspection; it neither streams nor answers anyone. */
function isRunTreeTracer(handler: BaseCallbackHandler): boolean {
  return handler.name === 'langchain_tracer';
}
