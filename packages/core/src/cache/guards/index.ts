export { antonymGuard } from './antonym-guard';
export { type CheckGuardsOptions, checkGuards, type GuardResult, guardOutcomes } from './check-guards';
export { entityGuard, extractEntities } from './entity-guard';
export type { GuardName, GuardOutcome } from './guard-types';
export { countNegations, negationGuard } from './negation-guard';
export { extractNumbers, numberGuard } from './number-guard';
export { orderGuard } from './order-guard';
export { substitutedWords, substitutionGuard } from './substitution-guard';
