import type { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { CallbackManager, type CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';

/**
 * Callbacks for a run nested under a chat model's run, so tracers show each tier call as a child
 * of the router's call. LangChain gives chain and tool runs a `getChild`, but not model runs:
 * this builds the same manager `getChild` would (the run's inheritable handlers, tags and
 * metadata, plus a local tag).
 */
export function childCallbacks(
  runManager: CallbackManagerForLLMRun | undefined,
  tag: string,
): CallbackManager | [] {
  if (!runManager) return [];
  const inherited = runManager as unknown as {
    inheritableHandlers: BaseCallbackHandler[];
    inheritableTags: string[];
    inheritableMetadata: Record<string, unknown>;
  };
  const manager = new CallbackManager(runManager.runId);
  manager.setHandlers(inherited.inheritableHandlers ?? []);
  manager.addTags(inherited.inheritableTags ?? []);
  manager.addMetadata(inherited.inheritableMetadata ?? {});
  manager.addTags([tag], false);
  return manager;
}
