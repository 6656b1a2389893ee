import type { LanguageModelV3 } from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';

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
