import { describe, expect, it } from 'vitest';
import type { TokenomicsRequest } from '../request/request';
import { addStep, createTrace, startStep } from './create-trace';

const request: TokenomicsRequest = {
  model: 'openai:gpt-4o-mini',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
    { role: 'user', content: [{ type: 'text', text: 'secret question about invoices' }] },
  ],
  tools: [{ name: 'lookup' }],
  scope: { tenant: 'acme', user: undefined },
};

describe('createTrace', () => {
  it('gives each call a fresh id and summarizes the request without its text', () => {
    const first = createTrace(request);
    const second = createTrace(request);
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.id).not.toBe(first.id);
    expect(first.request).toEqual({
      model: 'openai:gpt-4o-mini',
      messages: 2,
      tools: 1,
      scope: { tenant: 'acme' },
    });
    expect(JSON.stringify(first)).not.toContain('invoices');
    expect(first.steps).toEqual([]);
  });
});

describe('addStep and startStep', () => {
  it('keep steps in the order they were added, with offsets that never go back', async () => {
    const trace = createTrace(request);
    addStep(trace, { stage: 'cache', decision: 'miss', reason: 'no neighbour' });
    const done = startStep(trace, 'model');
    await new Promise((resolve) => setTimeout(resolve, 15));
    const modelStep = done({ decision: 'call' });
    addStep(trace, { stage: 'cache', decision: 'store' });

    expect(trace.steps.map((step) => `${step.stage}:${step.decision}`)).toEqual([
      'cache:miss',
      'model:call',
      'cache:store',
    ]);
    expect(modelStep.durationMs).toBeGreaterThanOrEqual(10);
    const offsets = trace.steps.map((step) => step.offsetMs ?? -1);
    expect(
      offsets.every((offset, index) => offset >= 0 && (index === 0 || offset >= offsets[index - 1]!)),
    ).toBe(true);
  });

  it('stores JSON-safe details, so the trace survives JSON unchanged', () => {
    const trace = createTrace(request);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    addStep(trace, {
      stage: 'cache',
      decision: 'hit',
      details: {
        similarity: 0.93,
        notANumber: Number.NaN,
        big: 12345678901234567890n,
        embedding: new Float32Array(512),
        when: new Date(0),
        error: new TypeError('bad guard'),
        guards: new Map([['numbers', true]]),
        callback: () => 1,
        missing: undefined,
        cyclic,
      },
    });
    const details = trace.steps[0]!.details!;
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
    expect(details).toEqual({
      similarity: 0.93,
      notANumber: null,
      big: '12345678901234567890',
      embedding: '[Float32Array length=512]',
      when: '1970-01-01T00:00:00.000Z',
      error: { name: 'TypeError', message: 'bad guard' },
      guards: [['numbers', true]],
      cyclic: { name: 'loop', self: '[Circular]' },
    });
  });
});
