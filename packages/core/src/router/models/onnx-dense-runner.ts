import { RouterModelUnavailableError } from './router-model-unavailable-error';

type OrtTensor = { data: ArrayLike<number> };
type OrtSession = {
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
};
type OrtModule = {
  InferenceSession: { create(path: string, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
};

/**
 * Runs a dense ONNX model written by `writeOnnxModel` (input `features` [N, F], output
 * `probability` [N, 1]) with `onnxruntime-node`, imported on first load so users who never load
 * a router model never load the runtime.
 */
export class OnnxDenseRunner {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: OrtSession,
    readonly width: number,
  ) {}

  static async load(path: string, width: number): Promise<OnnxDenseRunner> {
    const ort = await importOnnxRuntime();
    try {
      // One thread: a row of a few hundred features is microseconds of work.
      const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
      return new OnnxDenseRunner(ort, session, width);
    } catch (cause) {
      throw new RouterModelUnavailableError(`cannot load ONNX model ${path}`, { cause });
    }
  }

  async run(rows: readonly ArrayLike<number>[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const data = new Float32Array(rows.length * this.width);
    rows.forEach((row, index) => {
      data.set(row, index * this.width);
    });
    const outputs = await this.session.run({
      features: new this.ort.Tensor('float32', data, [rows.length, this.width]),
    });
    const output = outputs.probability;
    if (!output) throw new RouterModelUnavailableError('the ONNX model has no "probability" output');
    return Array.from(output.data, Number);
  }

  async close(): Promise<void> {
    await this.session.release?.();
  }
}

async function importOnnxRuntime(): Promise<OrtModule> {
  try {
    const imported = (await import('onnxruntime-node')) as unknown as OrtModule & { default?: OrtModule };
    return imported.InferenceSession ? imported : imported.default!;
  } catch (cause) {
    throw new RouterModelUnavailableError(
      'running router models with ONNX needs onnxruntime-node; install with: npm install onnxruntime-node (the TypeScript fallback needs nothing)',
      { cause },
    );
  }
}
