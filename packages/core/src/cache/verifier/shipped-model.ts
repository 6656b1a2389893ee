import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAIR_FEATURES } from './pair-features';
import type { VerifierModel } from './verifier-model';
import { VerifierUnavailableError } from './verifier-unavailable-error';

/**
 * Where the verifier that ships with `@tokenomics/core` lives: `models/cache-verifier/` in the
 * package (listed in its `files`). Found by walking up from this module, which sits at a
 * different depth in `src/` (tests) and in `dist/` (the published bundle).
 */
export function shippedModelFile(file: 'model.onnx' | 'meta.json'): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 6; level++) {
    const candidate = join(folder, 'models', 'cache-verifier', file);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  throw new VerifierUnavailableError(`the shipped verifier file models/cache-verifier/${file} was not found`);
}

/** Reads and checks a verifier `meta.json`: right format, and trained on today's features. */
export function readVerifierModel(path: string = shippedModelFile('meta.json')): VerifierModel {
  let model: VerifierModel;
  try {
    model = JSON.parse(readFileSync(path, 'utf8')) as VerifierModel;
  } catch (cause) {
    throw new VerifierUnavailableError(`cannot read verifier model ${path}`, { cause });
  }
  if (
    model.format !== 'tokenomics-pair-verifier/1' ||
    !Array.isArray(model.layers) ||
    model.layers.length === 0
  ) {
    throw new VerifierUnavailableError(`${path} is not a tokenomics pair verifier model`);
  }
  if (model.features.join(',') !== PAIR_FEATURES.join(',')) {
    throw new VerifierUnavailableError(
      `${path} was trained on features [${model.features.join(', ')}], this version computes [${PAIR_FEATURES.join(', ')}]`,
    );
  }
  return model;
}
