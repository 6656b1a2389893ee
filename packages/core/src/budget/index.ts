export { InvalidTokenBudgetError } from './invalid-token-budget-error';
export {
  DEFAULT_OUTPUT_QUANTILE,
  outputLimit,
  planTokenBudget,
  type TokenBudgetOptions,
  type TokenBudgetPlan,
} from './token-budget';
