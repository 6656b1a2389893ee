export { CostLedger, type CostLedgerOptions } from './cost-ledger';
export { InvalidLedgerEntryError } from './invalid-ledger-entry-error';
export { createJsonlLedgerSink, readJsonlLedger } from './jsonl-ledger-sink';
export { sumRecords } from './ledger-totals';
export { ledgerTraceStep } from './ledger-trace-step';
export type {
  BaselineSource,
  LedgerDimension,
  LedgerEntry,
  LedgerFilter,
  LedgerRecord,
  LedgerSink,
  LedgerStage,
  LedgerTotals,
  SavingStage,
  StageEffects,
} from './types';
