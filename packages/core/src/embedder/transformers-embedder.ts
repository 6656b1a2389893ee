import type { Embedder } from './embedder';
import { EmbedderUnavailableError } from './embedder-unavailable-error';
import { toUnitVector } from './vector-math';

/** The package this embedder loads on first use (an optional peer; not installed with core). */
export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';

type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean' | 'cls'; normalize: boolean },
) => Promise<{ tolist(): number[][] }>;
type TransformersModule = {
  pipeline(
    task: 'feature-extraction',
    model: string,
    options?: Record<string, unknown>,
  ): Promise<FeatureExtractor>;
};

export type TransformersEmbedderOptions = {
  /** Pooling over token vectors; sentence-transformers models use 'mean'. Default 'mean'. */
  pooling?: 'mean' | 'cls';
  /** Texts per call. Default 32. */
  batchSize?: number;
  /** Passed to `pipeline()` (e.g. `{ dtype: 'q8', local_files_only: true }`). */
  pipelineOptions?: Record<string, unknown>;
};

/**
 * A Hugging Face model (a hub name such as 'Xenova/all-MiniLM-L6-v2', or a local folder) run by
 * `@huggingface/transformers`, imported on first use. The model loads once per embedder.
 * Vectors are L2-normalized; the id names the model so vectors of different models never mix.
 */
export function fromTransformers(
  modelNameOrPath: string,
  options: TransformersEmbedderOptions = {},
): Embedder {
  return new TransformersEmbedder(modelNameOrPath, options);
}

class TransformersEmbedder implements Embedder {
  readonly id: string;
  private knownDimensions = 0;
  private extractor: Promise<FeatureExtractor> | undefined;
  private readonly batchSize: number;

  constructor(
    private readonly model: string,
    private readonly options: TransformersEmbedderOptions,
  ) {
    this.id = `transformers/${model}/${options.pooling ?? 'mean'}`;
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
  }

  get dimensions(): number {
    return this.knownDimensions;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const extract = await this.load();
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      const output = await extract(batch, { pooling: this.options.pooling ?? 'mean', normalize: true });
      for (const row of output.tolist()) {
        const vector = toUnitVector(row);
        this.knownDimensions ||= vector.length;
        vectors.push(vector);
      }
    }
    return vectors;
  }

  private load(): Promise<FeatureExtractor> {
    if (!this.extractor) {
      this.extractor = importTransformers().then((module) =>
        module.pipeline('feature-extraction', this.model, this.options.pipelineOptions),
      );
      this.extractor.catch(() => {
        this.extractor = undefined;
      });
    }
    return this.extractor;
  }
}

async function importTransformers(): Promise<TransformersModule> {
  // A variable specifier keeps bundlers and the type checker from requiring the optional package.
  const specifier: string = TRANSFORMERS_PACKAGE;
  try {
    return (await import(specifier)) as TransformersModule;
  } catch (cause) {
    throw new EmbedderUnavailableError({
      embedder: 'fromTransformers',
      packages: [TRANSFORMERS_PACKAGE],
      cause,
    });
  }
}
