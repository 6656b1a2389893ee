import {
  type Encoded,
  floatTensor,
  int64Tensor,
  intAttribute,
  intsAttribute,
  node,
  ONNX_INT64,
  onnxModel,
  valueInfo,
} from '../util/onnx-protobuf';

/** A weight of the loaded USE-lite graph: its values and shape. */
export type UseLiteWeight = { values: Float32Array; shape: readonly number[] };

/**
 * The USE-lite encoder (two transformer layers, mean pooling, a tanh layer) written as one ONNX
 * graph from the loaded model's own weights, so onnxruntime runs it with native matrix kernels
 * and a handful of fused steps instead of tfjs's ~250 WebAssembly kernel calls. The tfjs graph's
 * sparse bookkeeping (gathering the real tokens, scattering them back) is replaced by dense
 * tensors: a padded position never reaches a real one (it is masked out of attention by
 * `key_bias` and out of the mean by `pool_mask`), so real positions compute the same values.
 *
 * Inputs: `ids` [B, L] int64 (padded with anything), `positions` [L, 1] float (0..L-1),
 * `key_bias` [B, 1, 1, L] (0 for a token, -1e9 for padding, as the tfjs graph adds),
 * `pool_mask` [B, L, 1] (1 for a token) and `token_count` [B, 1] (at least 1).
 * Output `encoding` [B, 512]: the tanh layer's output, before the final L2 normalisation.
 */
export function useLiteOnnxGraph(weight: (name: string) => UseLiteWeight): Uint8Array {
  const graph = new GraphBuilder(weight);
  const embedded = graph.op('Gather', [graph.weight(WEIGHTS.embeddings), 'ids'], {});
  const timing = graph.timingSignal();
  // The tfjs graph adds the timing signal to the embeddings and then adds the embeddings again.
  let hidden = graph.op('Add', [embedded, graph.op('Add', [embedded, timing])]);
  const residual = graph.linear(
    hidden,
    layerWeight(0, 'dense/kernel/ConcatPartitions/concat'),
    layerWeight(0, 'dense/bias/ConcatPartitions/concat'),
  );
  hidden = graph.transformerLayer(0, hidden, residual);
  hidden = graph.transformerLayer(1, hidden, hidden);
  const pooled = graph.op('Div', [
    graph.op('ReduceSum', [graph.op('Mul', [hidden, 'pool_mask']), graph.int64('pool_axes', [1])], {
      keepdims: 0,
    }),
    'token_count',
  ]);
  graph.op('Tanh', [graph.linear(pooled, WEIGHTS.tanhKernel, WEIGHTS.tanhBias)], {}, 'encoding');
  return onnxModel({
    graphName: 'use_lite_encoder',
    nodes: graph.nodes,
    initializers: graph.initializers,
    inputs: [
      valueInfo('ids', ['batch', 'tokens'], ONNX_INT64),
      valueInfo('positions', ['tokens', 1]),
      valueInfo('key_bias', ['batch', 1, 1, 'tokens']),
      valueInfo('pool_mask', ['batch', 'tokens', 1]),
      valueInfo('token_count', ['batch', 1]),
    ],
    outputs: [valueInfo('encoding', ['batch', 512])],
    opset: 13,
  });
}

const ENCODE = 'module_apply_default/Encoder_en/KonaTransformer/Encode/';
const WEIGHTS = {
  embeddings: 'module/Embeddings_en',
  inverseTimescales: `${ENCODE}TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`,
  tanhKernel: 'module/Encoder_en/hidden_layers/tanh_layer_0/weights',
  tanhBias: 'module/Encoder_en/hidden_layers/tanh_layer_0/bias',
  /** Attention heads (one constant, shared by both layers in the converted graph). */
  heads: `${ENCODE}TransformerStack/Layer_1/TransformerLayer/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2`,
};
/** The graph's layer-norm epsilon. */
const LAYER_NORM_EPSILON = 9.999999974752427e-7;

function layerWeight(layer: number, path: string): string {
  return `${ENCODE}Layer_${layer}/TransformerLayer/${path}`;
}

function attentionKernel(layer: number, transform: 'qkv' | 'output'): string {
  return `module/Encoder_en/KonaTransformer/Encode/Layer_${layer}/TransformerLayer/MultiheadAttention/${transform}_transform_single/kernel/part_0`;
}

function ffnKernel(layer: number, conv: 1 | 2): string {
  return `${ENCODE}TransformerStack/Layer_${layer}/TransformerLayer/FFN/conv${conv}/Tensordot/Reshape_1`;
}

type Attributes = Record<string, number | number[]>;

/** Appends nodes and initializers, naming each output after a counter. */
class GraphBuilder {
  readonly nodes: Encoded[] = [];
  readonly initializers: Encoded[] = [];
  private readonly added = new Set<string>();
  private readonly weights = new Map<string, UseLiteWeight>();
  private count = 0;

  constructor(private readonly source: (name: string) => UseLiteWeight) {}

  /** A weight of the tfjs model, read once. */
  read(name: string): UseLiteWeight {
    let found = this.weights.get(name);
    if (!found) {
      found = this.source(name);
      this.weights.set(name, found);
    }
    return found;
  }

  op(type: string, inputs: string[], attributes: Attributes = {}, output = `t${this.count++}`): string {
    const encoded = Object.entries(attributes).map(([name, value]) =>
      Array.isArray(value) ? intsAttribute(name, value) : intAttribute(name, value),
    );
    this.nodes.push(node(type, inputs, [output], `${type}_${output}`, encoded));
    return output;
  }

  /** A weight of the tfjs model as an initializer, reshaped (a 1×1 convolution kernel is a matrix). */
  weight(name: string, shape?: readonly number[]): string {
    if (!this.added.has(name)) {
      const found = this.read(name);
      this.initializers.push(floatTensor(name, shape ?? found.shape, found.values));
      this.added.add(name);
    }
    return name;
  }

  scalar(name: string, value: number): string {
    if (!this.added.has(name)) {
      this.initializers.push(floatTensor(name, [], [value]));
      this.added.add(name);
    }
    return name;
  }

  int64(name: string, values: number[]): string {
    if (!this.added.has(name)) {
      this.initializers.push(int64Tensor(name, [values.length], values));
      this.added.add(name);
    }
    return name;
  }

  linear(input: string, kernel: string, bias: string, kernelShape?: readonly number[]): string {
    return this.op('Add', [this.op('MatMul', [input, this.weight(kernel, kernelShape)]), this.weight(bias)]);
  }

  /** sin and cos of position × inverse timescale, as the graph's AddTimingSignal computes them. */
  timingSignal(): string {
    const scaled = this.op('Mul', ['positions', this.weight(WEIGHTS.inverseTimescales)]);
    return this.op('Concat', [this.op('Sin', [scaled]), this.op('Cos', [scaled])], { axis: -1 });
  }

  layerNorm(input: string, scale: string, bias: string): string {
    const centred = this.op('Sub', [input, this.op('ReduceMean', [input], { axes: [-1], keepdims: 1 })]);
    const variance = this.op('ReduceMean', [this.op('Mul', [centred, centred])], { axes: [-1], keepdims: 1 });
    const epsilon = this.scalar('layer_norm_epsilon', LAYER_NORM_EPSILON);
    const inverse = this.op('Reciprocal', [this.op('Sqrt', [this.op('Add', [variance, epsilon])])]);
    return this.op('Add', [
      this.op('Mul', [this.op('Mul', [this.weight(scale), inverse]), centred]),
      this.weight(bias),
    ]);
  }

  /** Pre-norm attention then feed-forward, each added to its input (`residual` for the first). */
  transformerLayer(layer: number, input: string, residual: string): string {
    const normed = this.layerNorm(
      input,
      layerWeight(layer, 'layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat'),
      layerWeight(layer, 'layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat'),
    );
    const attended = this.attention(layer, normed);
    const afterAttention = this.op('Add', [attended, residual]);
    const ffnNormed = this.layerNorm(
      afterAttention,
      layerWeight(layer, 'FFN/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat'),
      layerWeight(layer, 'FFN/layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat'),
    );
    const inner = this.op('Relu', [
      this.linear(
        ffnNormed,
        ffnKernel(layer, 1),
        layerWeight(layer, 'FFN/conv1/bias/ConcatPartitions/concat'),
      ),
    ]);
    const outer = this.linear(
      inner,
      ffnKernel(layer, 2),
      layerWeight(layer, 'FFN/conv2/bias/ConcatPartitions/concat'),
    );
    return this.op('Add', [outer, afterAttention]);
  }

  private attention(layer: number, input: string): string {
    const heads = this.read(WEIGHTS.heads).values[0] as number;
    const scale = this.read(
      `${ENCODE}TransformerStack/Layer_${layer}/TransformerLayer/MultiheadAttention/mul/y`,
    ).values[0] as number;
    const qkvKernel = this.read(attentionKernel(layer, 'qkv'));
    const [, , width, qkvWidth] = qkvKernel.shape as [number, number, number, number];
    const headWidth = qkvWidth / 3 / heads;
    const qkv = this.linear(
      input,
      attentionKernel(layer, 'qkv'),
      layerWeight(layer, 'MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat'),
      [width, qkvWidth],
    );
    const split = [`t${this.count++}`, `t${this.count++}`, `t${this.count++}`];
    const sizes = this.int64(`split_${qkvWidth}`, [qkvWidth / 3, qkvWidth / 3, qkvWidth / 3]);
    this.nodes.push(node('Split', [qkv, sizes], split, `Split_${layer}`, [intAttribute('axis', -1)]));
    const headShape = this.int64(`heads_${layer}`, [0, 0, heads, headWidth]);
    const [query, key, value] = split.map((part) =>
      this.op('Transpose', [this.op('Reshape', [part, headShape])], { perm: [0, 2, 1, 3] }),
    ) as [string, string, string];
    const scaled = this.op('Mul', [query, this.scalar(`attention_scale_${layer}`, scale)]);
    const scores = this.op('Add', [
      this.op('MatMul', [scaled, this.op('Transpose', [key], { perm: [0, 1, 3, 2] })]),
      'key_bias',
    ]);
    const weights = this.op('Softmax', [scores], { axis: -1 });
    const combined = this.op('Reshape', [
      this.op('Transpose', [this.op('MatMul', [weights, value])], { perm: [0, 2, 1, 3] }),
      this.int64(`combined_${layer}`, [0, 0, qkvWidth / 3]),
    ]);
    const outputKernel = this.read(attentionKernel(layer, 'output'));
    return this.linear(
      combined,
      attentionKernel(layer, 'output'),
      layerWeight(layer, 'MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat'),
      outputKernel.shape.slice(2),
    );
  }
}
