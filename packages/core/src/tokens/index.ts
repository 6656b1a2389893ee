export { encodingForModel, type TokenEncoding } from './encoding-for-model';
export { estimateUsage } from './estimate-usage';
export { countTokens, getTokenCounter, type TokenCounter } from './token-counter';
