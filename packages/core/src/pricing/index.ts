export { type BillableUsage, billableUsage, totalTokens } from './billable-usage';
export { createPricing, type Pricing, type PricingOptions } from './create-pricing';
export { InvalidPriceOverrideError } from './invalid-price-override-error';
export { type ParsedModelId, parseModelId } from './model-id';
export type { CostEstimate, ModelPrice, ModelPriceOverride } from './model-price';
export { PRICE_REGISTRY } from './registry-prices';
