import type { LanguageModelV3 } from '@ai-sdk/provider';
import { type LanguageModel, type LanguageModelMiddleware, wrapLanguageModel } from 'ai';

// Public types are read from the installed `ai`, so they are V3 types for an `ai` 6 user and V4
// types for an `ai` 7 user, with no `@ai-sdk/provider` release to match.

/** A language model the installed `ai` calls: `LanguageModelV3` under `ai` 6, `LanguageModelV4` under `ai` 7. */
export type AiLanguageModel = ReturnType<typeof wrapLanguageModel>;

/** Any language model object the installed `ai` accepts (V2 and V3, and V4 under `ai` 7). */
export type AnyLanguageModel = Exclude<LanguageModel, string>;

/** A middleware for the installed `ai`'s `wrapLanguageModel`. */
export type AiLanguageModelMiddleware = LanguageModelMiddleware;

/** The options the installed `ai` calls a model with. */
export type AiCallOptions = Parameters<AiLanguageModel['doGenerate']>[0];

/** The language model specification an `ai` release calls models with: `ai` 6 speaks V3, `ai` 7 V4. */
export type SpecificationVersion = 'v3' | 'v4';

let installed: SpecificationVersion | undefined;

/**
 * The specification of the `ai` package this module was loaded with. Each release's
 * `wrapLanguageModel` returns a model of the specification it speaks, so wrapping a stub and
 * reading the result asks the package itself, with no version string to parse.
 */
export function installedSpecificationVersion(): SpecificationVersion {
  if (installed === undefined) {
    const stub: LanguageModelV3 = {
      specificationVersion: 'v3',
      provider: 'tokenomics-probe',
      modelId: 'tokenomics-probe',
      supportedUrls: {},
      doGenerate: () => Promise.reject(new Error('probe model is never called')),
      doStream: () => Promise.reject(new Error('probe model is never called')),
    };
    const wrapped = wrapLanguageModel({ model: stub, middleware: {} });
    // Only 'v3' and 'v4' are in the peer range; anything newer is treated as the newest we know.
    const spoken: string = wrapped.specificationVersion;
    installed = spoken === 'v3' ? 'v3' : 'v4';
  }
  return installed;
}
