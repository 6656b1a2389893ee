import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addStep, createTrace } from './create-trace';
import { finishTrace } from './finish-trace';
import { createJsonlTraceSink } from './jsonl-trace-sink';

describe('createJsonlTraceSink', () => {
  it('writes one parseable line per finished trace, in order', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tokenomics-traces-'));
    try {
      const sink = createJsonlTraceSink(join(folder, 'logs', 'traces.jsonl'));
      const finished = ['hit', 'miss', 'bypass'].map((decision) => {
        const trace = createTrace({ model: 'gpt-4o-mini', messages: [] });
        addStep(trace, { stage: 'cache', decision, details: { vector: new Float32Array(4) } });
        return finishTrace(trace, { sinks: [sink] });
      });
      await sink.flush();
      const lines = (await readFile(join(folder, 'logs', 'traces.jsonl'), 'utf8')).trim().split('\n');
      const read = lines.map(
        (line) => JSON.parse(line) as { id: string; steps: Array<{ decision: string }> },
      );
      expect(read.map((trace) => trace.id)).toEqual(finished.map((trace) => trace.id));
      expect(read.map((trace) => trace.steps[0]!.decision)).toEqual(['hit', 'miss', 'bypass']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
