type OrtTensor = { data: ArrayLike<number> };
type OrtSession = {
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
};
type OrtModule = {
  InferenceSession: { create(path: string, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
};

/** Builds the error a caller raises when the runtime or the model cannot be loaded. */
export type UnavailableError = (message: string, cause: unknown) => Error;

/**
 * Runs a dense ONNX model written by `writeOnnxModel` (input `features` [N, F], output
 * `probability` [N, 1]) with `onnxruntime-node`, imported on first load so users who never load
 * a model never load the runtime. Shared by the cache's pair verifier and the router's models;
 * each passes the error type its users branch on.
 */
export class OnnxDenseRunner {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: OrtSession,
    readonly width: number,
    private readonly unavailable: UnavailableError,
  ) {}

  static async load(
    path: string,
    width: number,
    unavailable: UnavailableError,
    runtimeHint = 'install with: npm install onnxruntime-node',
  ): Promise<OnnxDenseRunner> {
    const ort = await importOnnxRuntime(unavailable, runtimeHint);
    try {
      // One thread: a batch of a few rows is microseconds of work; thread pools only add overhead.
      const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
      return new OnnxDenseRunner(ort, session, width, unavailable);
    } catch (cause) {
      throw unavailable(`cannot load ONNX model ${path}`, cause);
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
    if (!output) throw this.unavailable('the ONNX model has no "probability" output', undefined);
    return Array.from(output.data, Number);
  }

  async close(): Promise<void> {
    await this.session.release?.();
  }
}

async function importOnnxRuntime(unavailable: UnavailableError, runtimeHint: string): Promise<OrtModule> {
  try {
    const imported = (await import('onnxruntime-node')) as unknown as OrtModule & { default?: OrtModule };
    return imported.InferenceSession ? imported : imported.default!;
  } catch (cause) {
    throw unavailable(`running this model with ONNX needs onnxruntime-node; ${runtimeHint}`, cause);
  }
}
