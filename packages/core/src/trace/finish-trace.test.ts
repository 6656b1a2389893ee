import { describe, expect, it } from 'vitest';
import type { TokenomicsRequest } from '../request/request';
import { addStep, createTrace } from './create-trace';
import { finishTrace } from './finish-trace';
import type { DecisionTrace } from './trace';
import { createTraceCollector } from './trace-collector';

const request: TokenomicsRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: [] }] };

describe('finishTrace', () => {
  it('sets the duration and delivers a copy to collectors and listeners, once', () => {
    const trace = createTrace(request, { now: 1_000 });
    addStep(trace, { stage: 'cache', decision: 'miss' });
    const collector = createTraceCollector();
    const heard: DecisionTrace[] = [];

    finishTrace(trace, { sinks: [collector, (finished) => void heard.push(finished)], now: 1_250 });
    finishTrace(trace, { sinks: [collector], now: 9_999 });

    expect(trace.durationMs).toBe(250);
    expect(collector.traces()).toHaveLength(1);
    expect(heard).toHaveLength(1);
    expect(collector.get(trace.id)?.steps).toEqual(trace.steps);

    // The delivered trace is a copy: later changes to the live one do not rewrite history.
    addStep(trace, { stage: 'ledger', decision: 'record' });
    expect(collector.get(trace.id)?.steps).toHaveLength(1);
  });

  it('reports a failing sink without throwing, and still reaches the other sinks', async () => {
    const errors: string[] = [];
    const collector = createTraceCollector();
    const trace = createTrace(request);
    finishTrace(trace, {
      sinks: [
        () => {
          throw new Error('sync failure');
        },
        () => Promise.reject(new Error('async failure')),
        collector,
      ],
      onSinkError: (error) => errors.push((error as Error).message),
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors.sort()).toEqual(['async failure', 'sync failure']);
    expect(collector.traces()).toHaveLength(1);
  });

  it('keeps only the most recent traces in a bounded collector', () => {
    const collector = createTraceCollector({ maxTraces: 2 });
    const ids = [1, 2, 3].map(() => finishTrace(createTrace(request), { sinks: [collector] }).id);
    expect(collector.traces().map((trace) => trace.id)).toEqual(ids.slice(1));
  });
});
