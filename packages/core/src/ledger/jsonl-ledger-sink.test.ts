import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPricing } from '../pricing/create-pricing';
import { CostLedger } from './cost-ledger';
import { createJsonlLedgerSink, readJsonlLedger } from './jsonl-ledger-sink';

const pricing = createPricing({
  registry: false,
  overrides: { small: { inputPerMillion: 1, outputPerMillion: 4 } },
});

describe('JSONL ledger sink', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tokenomics-ledger-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('round-trips records into a new ledger with the same totals', async () => {
    const path = join(folder, 'nested', 'ledger.jsonl');
    const ledger = new CostLedger({ pricing, sinks: [createJsonlLedgerSink(path)] });
    ledger.record({
      traceId: 'a',
      model: 'small',
      stage: 'cache',
      spent: {},
      baseline: { inputTokens: 100, outputTokens: 50 },
      scope: { tenant: 'acme', user: 'u1' },
    });
    ledger.record({
      traceId: 'b',
      model: 'small',
      stage: 'router',
      spent: { inputTokens: 10 },
      additionalSpent: [{ model: 'small', usage: { inputTokens: 5 } }],
      baseline: { inputTokens: 100 },
    });
    ledger.record({
      traceId: 'c',
      model: 'unknown',
      stage: 'none',
      spent: { inputTokens: 7 },
      baseline: { inputTokens: 7 },
    });
    await ledger.flush();

    const records = await readJsonlLedger(path);
    expect(records).toEqual(ledger.entries());

    const restored = new CostLedger({ pricing });
    restored.load(records);
    expect(restored.totals()).toEqual(ledger.totals());
    expect(restored.totalsBy('tenant')).toEqual(ledger.totalsBy('tenant'));
  });

  it('skips and reports a torn or foreign line instead of failing the read', async () => {
    const path = join(folder, 'ledger.jsonl');
    const ledger = new CostLedger({ pricing, sinks: [createJsonlLedgerSink(path)] });
    ledger.record({ traceId: 'a', model: 'small', stage: 'none', spent: {}, baseline: {} });
    await ledger.flush();
    await appendFile(path, '{"hello":"world"}\n{"traceId":"b","mod');

    const invalid: number[] = [];
    const records = await readJsonlLedger(path, { onInvalidLine: (line) => invalid.push(line) });
    expect(records.map((record) => record.traceId)).toEqual(['a']);
    expect(invalid).toEqual([2, 3]);
  });

  it('reads a missing file as an empty ledger', async () => {
    expect(await readJsonlLedger(join(folder, 'absent.jsonl'))).toEqual([]);
  });
});
