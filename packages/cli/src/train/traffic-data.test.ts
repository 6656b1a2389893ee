import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../datasets/dataset-error';
import { readTraffic } from './traffic-data';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function files(ledger: unknown[], feedback: unknown[], traces: unknown[] = []) {
  const folder = mkdtempSync(join(tmpdir(), 'tokenomics-traffic-'));
  folders.push(folder);
  const write = (name: string, lines: unknown[]) => {
    writeFileSync(join(folder, name), lines.map((line) => JSON.stringify(line)).join('\n'));
    return join(folder, name);
  };
  return {
    ledger: write('ledger.jsonl', ledger),
    feedback: write('feedback.jsonl', feedback),
    traces: write('traces.jsonl', traces),
  };
}

const record = {
  traceId: 't1',
  at: 1,
  model: 'mini',
  baselineModel: 'large',
  scope: { tenant: 'acme', namespace: 'billing' },
  stage: 'router',
  spent: { usage: { inputTokens: 10, outputTokens: 42 }, tokens: 52, dollars: 0 },
  baseline: { usage: {}, tokens: 0, dollars: 0 },
  saved: { tokens: 0, dollars: 0 },
  priceKnown: true,
};

describe('readTraffic', () => {
  it('joins a graded answer with its ledger record: model, output tokens, baseline and group', () => {
    const data = readTraffic(
      files([record], [{ traceId: 't1', prompt: 'Refund?', answer: 'Yes.', score: 0.8 }]),
    );
    expect(data.answers).toEqual([
      {
        traceId: 't1',
        prompt: 'Refund?',
        answer: 'Yes.',
        model: 'mini',
        good: 1,
        group: 'billing',
        outputTokens: 42,
        baselineModel: 'large',
      },
    ]);
    expect(data.unmatched).toBe(0);
  });

  it("reads a cache hit's similarity from its trace when the feedback does not give one", () => {
    const trace = {
      id: 'c1',
      startedAt: 0,
      request: { model: 'large', messages: 1 },
      steps: [{ stage: 'cache', decision: 'hit', details: { similarity: 0.93 } }],
    };
    const data = readTraffic(
      files(
        [],
        [
          {
            kind: 'cache-hit',
            traceId: 'c1',
            query: 'Price of plan 3?',
            cachedQuery: 'Price of plan 4?',
            good: false,
          },
        ],
        [trace],
      ),
    );
    expect(data.cachePairs[0]).toMatchObject({ similarity: 0.93, good: 0, group: 'all' });
    expect(data.unmatched).toBe(1);
  });

  it('refuses a feedback line without a grade, a prompt, or a model to attribute it to', () => {
    expect(() => readTraffic(files([record], [{ traceId: 't1', prompt: 'x' }]))).toThrow(DatasetError);
    expect(() => readTraffic(files([record], [{ traceId: 't1', good: true }]))).toThrow(/prompt/);
    expect(() => readTraffic(files([], [{ traceId: 'nope', prompt: 'x', good: true }]))).toThrow(/no model/);
  });
});
