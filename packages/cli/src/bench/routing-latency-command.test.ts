import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../commands/run-cli';
import type { BenchRoutingLatencyResults } from './routing-latency-command';

const POLICIES = [
  'classifier:onnx',
  'classifier:typescript',
  'bandit:thompson:memory',
  'bandit:thompson:sqlite',
  'bandit:linucb:memory',
  'bandit:linucb:sqlite',
  'cascade',
  'cascade:prior-skip',
  'outcome-memory:100',
  'outcome-memory:hnsw:100',
];

describe('tokenomics bench routing-latency', () => {
  it('times one row per policy, prints the table and writes the rows with machine info as JSON', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-routing-latency-test-'));
    const jsonFile = join(directory, 'out', 'routing-latency.json');
    const out: string[] = [];
    const code = await runCli(['bench', 'routing-latency', '--quick', '--json', jsonFile], {
      out: (text) => out.push(text),
      err: () => {},
    });
    expect(code).toBe(0);
    const results = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchRoutingLatencyResults;

    // Only the ONNX row may be missing, and only when onnxruntime-node is not installed.
    expect(results.skipped.every((skipped) => skipped.name === 'classifier:onnx')).toBe(true);
    const skipped = new Set(results.skipped.map((entry) => entry.name));
    expect(results.rows.map((row) => row.name)).toEqual(POLICIES.filter((name) => !skipped.has(name)));
    for (const row of results.rows) {
      expect(row.decisions).toBe(row.name.startsWith('outcome-memory') ? 10 : 20);
      expect(row.p50Ms).toBeGreaterThan(0);
      expect(row.p90Ms).toBeGreaterThanOrEqual(row.p50Ms);
      expect(row.p99Ms).toBeGreaterThanOrEqual(row.p90Ms);
      expect(row.decisionsPerSecond).toBeGreaterThan(0);
      expect(row.target.status).toBe(row.p50Ms <= results.targetP50Ms ? 'PASS' : 'MISS');
      expect(out[0]).toContain(row.name);
    }
    // A decision never writes the bandit's store, and reads it once: on the first decision.
    const bandits = results.rows.filter((row) => row.name.startsWith('bandit:'));
    expect(bandits).toHaveLength(4);
    for (const row of bandits) {
      expect(row.storeCalls).toEqual({ warmup: { load: 1, update: 0 }, timed: { load: 0, update: 0 } });
    }

    expect(results.embeddings).toBe('random');
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.loadAverage).toHaveLength(3);
    expect(results.command).toBe(`tokenomics bench routing-latency --quick --json ${jsonFile}`);
  });

  it('rejects an unknown embedding kind as a usage error', async () => {
    const errors: string[] = [];
    const code = await runCli(['bench', 'routing-latency', '--embeddings', 'bert'], {
      out: () => {},
      err: (text) => errors.push(text),
    });
    expect(code).toBe(2);
    expect(errors.join('\n')).toContain("--embeddings must be 'use-lite' or 'random'");
  });
});
