export { loadPairVerifier } from './load-pair-verifier';
export { LogisticPairVerifier } from './logistic-pair-verifier';
export { writeOnnxModel } from './onnx-model-writer';
export { OnnxPairVerifier } from './onnx-pair-verifier';
export { PAIR_FEATURES, type PairFeatureName, pairFeatures } from './pair-features';
export { readVerifierModel, shippedModelFile } from './shipped-model';
export { type DenseLayer, forward, type VerifierModel } from './verifier-model';
export { VerifierUnavailableError } from './verifier-unavailable-error';
