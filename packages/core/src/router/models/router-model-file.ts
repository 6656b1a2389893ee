import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DenseLayer } from '../../cache/verifier/verifier-model';
import { RouterModelUnavailableError } from './router-model-unavailable-error';

export type RouterModelName = 'router-prior' | 'answer-scorer' | 'output-length';

/** What every router model's `meta.json` holds: the network in plain numbers and its input features. */
export type RouterModelMeta = {
  format: string;
  /** Feature names in input order; must equal what this version computes. */
  features: string[];
  layers: DenseLayer[];
  metrics?: unknown;
};

/**
 * Where a model shipped with `@tokenomics/core` lives: `models/<name>/` in the package, found by
 * walking up from this module (it sits at different depths in `src/` and `dist/`).
 */
export function shippedRouterModelFile(name: RouterModelName, file: 'model.onnx' | 'meta.json'): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 7; level++) {
    const candidate = join(folder, 'models', name, file);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  throw new RouterModelUnavailableError(`the shipped model file models/${name}/${file} was not found`);
}

/** Reads a `meta.json` and checks its format and that it was trained on today's features. */
export function readRouterModelMeta<Meta extends RouterModelMeta>(
  path: string,
  format: string,
  features: readonly string[],
): Meta {
  let meta: Meta;
  try {
    meta = JSON.parse(readFileSync(path, 'utf8')) as Meta;
  } catch (cause) {
    throw new RouterModelUnavailableError(`cannot read model ${path}`, { cause });
  }
  if (meta.format !== format || !Array.isArray(meta.layers) || meta.layers.length === 0) {
    throw new RouterModelUnavailableError(`${path} is not a ${format} model`);
  }
  if (meta.features.join(',') !== features.join(',')) {
    throw new RouterModelUnavailableError(
      `${path} was trained on other features than this version computes (${meta.features.length} vs ${features.length})`,
    );
  }
  return meta;
}
