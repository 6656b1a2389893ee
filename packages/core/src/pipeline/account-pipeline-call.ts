import type { CostLedger } from '../ledger/cost-ledger';
import { ledgerTraceStep } from '../ledger/ledger-trace-step';
import type { LedgerRecord } from '../ledger/types';
import type { TokenomicsRequest } from '../request/request';
import { addStep, createTrace } from '../trace/create-trace';
import { finishTrace } from '../trace/finish-trace';
import type { DecisionTrace, TraceListener, TraceSink, TraceStep } from '../trace/trace';
import { type PipelineCallOutcome, recordPipelineCall } from './record-pipeline-call';

export type AccountPipelineCallInput = {
  ledger: Pick<CostLedger, 'record'>;
  /** The call as the user sent it (the trace keeps counts, never the prompt). */
  request: TokenomicsRequest;
  outcome: PipelineCallOutcome;
  /** What each stage decided, in pipeline order. */
  steps: TraceStep[];
  traceSinks?: ReadonlyArray<TraceSink | TraceListener>;
};

/** The last step of every call: ONE ledger record (saving split by stage) and ONE finished trace. */
export function accountPipelineCall(input: AccountPipelineCallInput): {
  record: LedgerRecord;
  trace: DecisionTrace;
} {
  const record = recordPipelineCall(input.ledger, input.outcome);
  const trace = createTrace(input.request, { id: input.outcome.traceId });
  for (const step of input.steps) addStep(trace, step);
  addStep(trace, ledgerTraceStep(record));
  finishTrace(trace, { sinks: input.traceSinks });
  return { record, trace };
}
