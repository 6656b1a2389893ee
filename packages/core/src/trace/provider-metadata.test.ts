import { describe, expect, it } from 'vitest';
import { addStep, createTrace } from './create-trace';
import { finishTrace } from './finish-trace';
import { formatTrace } from './format-trace';
import { toJsonSafe } from './json-safe';
import { toProviderMetadata } from './provider-metadata';

function sampleTrace() {
  const trace = createTrace(
    {
      model: 'openai:gpt-4o-mini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      scope: { tenant: 'acme' },
    },
    { id: '1a2b3c4d-0000-4000-8000-000000000000', now: 0 },
  );
  addStep(trace, {
    stage: 'cache',
    decision: 'miss',
    reason: 'similarity 0.81\nbelow threshold 0.9',
    durationMs: 3.24,
    details: { similarity: 0.81, vector: new Float64Array(3) },
  });
  addStep(trace, { stage: 'model', decision: 'call', durationMs: 412.4 });
  return finishTrace(trace, { now: 420 });
}

describe('toProviderMetadata', () => {
  it('is plain JSON with the trace id and the steps in order', () => {
    const metadata = toProviderMetadata(sampleTrace());
    expect(JSON.parse(JSON.stringify(metadata))).toEqual(metadata);
    expect(metadata.traceId).toBe('1a2b3c4d-0000-4000-8000-000000000000');
    expect(metadata.durationMs).toBe(420);
    expect((metadata.steps as Array<{ stage: string }>).map((step) => step.stage)).toEqual([
      'cache',
      'model',
    ]);
  });

  it('omits the duration of an unfinished trace instead of sending undefined', () => {
    const trace = createTrace({ model: 'm', messages: [] });
    expect('durationMs' in toProviderMetadata(trace)).toBe(false);
  });
});

describe('formatTrace', () => {
  it('prints one line with the id prefix, scope, steps in order and total time', () => {
    const line = formatTrace(sampleTrace());
    expect(line).not.toContain('\n');
    expect(line).toBe(
      'trace 1a2b3c4d openai:gpt-4o-mini msgs=1 tenant=acme | cache:miss (similarity 0.81 below threshold 0.9) 3.2ms > model:call 412ms | 420ms',
    );
  });
});

describe('toJsonSafe', () => {
  it('shortens long strings and lists so a trace stays small', () => {
    const safe = toJsonSafe({
      prompt: 'x'.repeat(5_000),
      ids: Array.from({ length: 150 }, (_, index) => index),
    }) as {
      prompt: string;
      ids: unknown[];
    };
    expect(safe.prompt.length).toBeLessThan(2_100);
    expect(safe.prompt).toContain('(+3000 chars)');
    expect(safe.ids).toHaveLength(101);
    expect(safe.ids.at(-1)).toBe('…(+50 more)');
  });
});
