import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DenseLayer } from '../../cache/verifier/verifier-model';
import { OnnxDenseRunner } from '../../util/onnx-dense-runner';
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

/** A model file in `folder` when the caller gave one, else the one shipped with the package. */
export function routerModelFile(
  name: RouterModelName,
  folder: string | undefined,
  file: 'model.onnx' | 'meta.json',
): string {
  return folder ? join(folder, file) : shippedRouterModelFile(name, file);
}

/**
 * The model's ONNX runner, unless `runtime` is 'typescript'. With 'auto' (default) a missing
 * onnxruntime-node or model file gives undefined (the caller runs the same network in TypeScript);
 * with 'onnx' it throws `RouterModelUnavailableError`.
 */
export async function loadRouterModelRunner(
  name: RouterModelName,
  folder: string | undefined,
  inputs: number,
  runtime: 'auto' | 'onnx' | 'typescript' = 'auto',
): Promise<OnnxDenseRunner | undefined> {
  if (runtime === 'typescript') return undefined;
  try {
    return await OnnxDenseRunner.load(
      routerModelFile(name, folder, 'model.onnx'),
      inputs,
      (message, cause) => new RouterModelUnavailableError(message, { cause }),
      'install with: npm install onnxruntime-node (the TypeScript fallback needs nothing)',
    );
  } catch (error) {
    if (runtime === 'onnx' || !RouterModelUnavailableError.isInstance(error)) throw error;
    return undefined;
  }
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
