import { type CacheWarning, exactKey, HashingEmbedder } from '@tokenomics/core';
import {
  createPostgresCache,
  openPostgresBanditStateStore,
  openPostgresCache,
} from '@tokenomics/store-postgres';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { cachedModel, eventually } from './fail-open';
import { HangingProxy, pgliteServerForSuite } from './server-processes';
import { answer, cacheOver, request } from './store-contract';

const embedder = new HashingEmbedder({ dimensions: 64 });

// PGlite (PostgreSQL + pgvector) is a dev dependency of @tokenomics/store-postgres, so these
// tests always run: each starts its own server process, which it kills and restarts. PGlite
// serves one connection at a time, so each test opens one pool of one connection.
describe('PostgreSQL stores under faults (PGlite over the wire protocol)', () => {
  const pglite = pgliteServerForSuite();
  beforeEach(async () => {
    if (!pglite().running) await pglite().start();
  }, 120_000);

  it('skips and reports malformed payloads and bandit state, and refuses wrong-dimension vectors', async () => {
    const warnings: CacheWarning[] = [];
    const onWarning = (warning: CacheWarning) => warnings.push(warning);
    const postgres = await openPostgresCache({
      connectionString: pglite().url,
      maxConnections: 1,
      timeoutMs: 5_000,
      namespace: 'malformed',
      dimensions: 64,
      onWarning,
    });
    onTestFinished(() => postgres.close());
    const vectorIndex = postgres.vectorIndex!;
    const { cache } = cacheOver({ store: postgres.store, vectorIndex }, warnings);
    const question = request('What is the boiling point of water?');
    await cache.store(question, answer('100 °C.'));
    await postgres.pool.query(
      `UPDATE tokenomics_entries SET payload = left(payload, length(payload) / 2) WHERE namespace = 'malformed' AND key = $1`,
      [exactKey(question)],
    );
    expect((await cache.lookup(question)).status).toBe('miss');
    expect(warnings.map((warning) => warning.code)).toContain('corrupted-entry');

    await expect(vectorIndex.add('p', 'short', new Float32Array(3).fill(0.5))).rejects.toThrow(
      /3 dimensions/,
    );
    const rows = await postgres.pool.query(
      `SELECT count(*) AS n FROM tokenomics_vectors_64 WHERE key = 'short'`,
    );
    expect(Number(rows.rows[0].n)).toBe(0);

    const bandit = await openPostgresBanditStateStore({
      pool: postgres.pool,
      namespace: 'malformed',
      onWarning,
    });
    await postgres.pool.query(
      `INSERT INTO tokenomics_bandit_state (namespace, bandit_id, meta, data, version, updated_at)
       VALUES ('malformed', 'b', '{"dimensions":2,"arms":[{"id":"x"}]}', '\\x616263', 1, 0)`,
    );
    expect(await bandit.load('b')).toBeUndefined();
    expect(warnings.map((warning) => warning.code)).toContain('malformed-bandit-state');
  }, 60_000);

  it('answers every request from the model while the server is dead, and caches again once it is back', async () => {
    const warnings: CacheWarning[] = [];
    // A dead server fails calls at once (connection refused), whatever the timeout. A generous
    // one is needed here because a freshly restarted PGlite takes seconds over its first
    // statements on a busy machine; the default bound is checked in the next test.
    const engine = await createPostgresCache({
      connectionString: pglite().url,
      maxConnections: 1,
      timeoutMs: 10_000,
      namespace: 'killed',
      embedder,
      verifier: false,
      onWarning: (warning) => warnings.push(warning),
    });
    onTestFinished(() => engine.close());
    const { ask, events } = cachedModel(engine, warnings);
    expect((await ask('What is the capital of France?')).fromModel).toBe(true);
    expect((await ask('What is the capital of France?')).fromModel).toBe(false);

    await pglite().kill();
    for (const question of [
      'What is the capital of France?',
      'How tall is Everest?',
      'How tall is Everest?',
    ]) {
      expect(await ask(question)).toEqual({ text: `model answer to: ${question}`, fromModel: true });
    }
    expect(warnings.map((warning) => warning.code)).toContain('store-unavailable');
    expect(warnings.map((warning) => warning.code)).toContain('lookup-failed');
    expect(events.some((event) => event.steps.some((step) => step.decision === 'error'))).toBe(true);

    await pglite().start();
    await eventually(async () => {
      await ask('Who wrote Hamlet?');
      return !(await ask('Who wrote Hamlet?')).fromModel;
    }, 60_000);
    expect(warnings.map((warning) => warning.code)).toContain('store-reconnected');
  }, 180_000);

  // Last: PGlite frees its one connection slot a moment after the proxy drops it.
  it('bounds every call: a server that stops answering costs a lookup about the timeout, not seconds', async () => {
    const proxy = await HangingProxy.start(pglite().port);
    proxy.hang();
    const warnings: CacheWarning[] = [];
    // Default timeout (50 ms); no migration at open, so nothing waits on the server before the calls.
    const postgres = await openPostgresCache({
      connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
      maxConnections: 1,
      namespace: 'hanging',
      dimensions: 64,
      migrate: false,
      onWarning: (warning) => warnings.push(warning),
    });
    onTestFinished(async () => {
      await proxy.close();
      await postgres.close();
    });
    const { cache } = cacheOver({ store: postgres.store, vectorIndex: postgres.vectorIndex! }, warnings);
    const started = performance.now();
    const lookup = await cache.lookup(request('Is the store slow?'));
    const stored = await cache.store(request('Is the store slow?'), answer('Yes.'));
    const elapsed = performance.now() - started;
    expect(lookup.status).toBe('miss');
    expect(lookup.trace.decision).toBe('error');
    expect(stored.stored).toBe(false);
    // Two calls at the 50 ms default; the bound leaves room for a loaded machine, and the
    // server never answers at all.
    expect(elapsed).toBeLessThan(1_000);
    expect(warnings.map((warning) => warning.code)).toEqual(
      expect.arrayContaining(['store-unavailable', 'lookup-failed', 'store-failed']),
    );
  }, 60_000);
});
