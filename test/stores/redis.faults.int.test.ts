import {
  type CacheWarning,
  exactKey,
  HashingEmbedder,
  SemanticCache,
  type TokenomicsRequest,
} from '@tokenomics/core';
import { createRedisCache, openRedisBanditStateStore, openRedisCache } from '@tokenomics/store-redis';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { cachedModel, eventually } from './fail-open';
import { freePort, programPath, RedisServerProcess } from './server-processes';
import { describeWithProgram } from './servers';
import { answer, cacheOver, request } from './store-contract';

const embedder = new HashingEmbedder({ dimensions: 64 });

describeWithProgram(
  'Redis stores under faults',
  programPath('redis-server') !== undefined,
  'redis-server',
  () => {
    let server: RedisServerProcess;
    beforeAll(async () => {
      server = new RedisServerProcess(await freePort());
      await server.start();
    });
    afterAll(() => server?.stop());
    // A test that failed with the server down must not take the next one with it.
    beforeEach(async () => {
      if (!server.running) await server.start();
    });

    it('answers every request from the model while the server is dead, and caches again once it is back', async () => {
      const warnings: CacheWarning[] = [];
      // A dead server fails calls at once (no offline queue), whatever the timeout; a generous
      // one keeps a busy test machine from turning the hits before and after into misses.
      const engine = await createRedisCache({
        url: server.url,
        namespace: 'killed',
        timeoutMs: 1_000,
        embedder,
        verifier: false,
        onWarning: (warning) => warnings.push(warning),
      });
      const { ask, events } = cachedModel(engine, warnings);
      expect((await ask('What is the capital of France?')).fromModel).toBe(true);
      expect((await ask('What is the capital of France?')).fromModel).toBe(false);

      await server.kill();
      for (const question of [
        'What is the capital of France?',
        'How tall is Everest?',
        'How tall is Everest?',
      ]) {
        const reply = await ask(question);
        expect(reply).toEqual({ text: `model answer to: ${question}`, fromModel: true });
      }
      await eventually(() => warnings.some((warning) => warning.code === 'store-unavailable'));
      expect(warnings.map((warning) => warning.code)).toContain('lookup-failed');
      expect(events.some((event) => event.steps.some((step) => step.decision === 'error'))).toBe(true);

      await server.start();
      await eventually(() => warnings.some((warning) => warning.code === 'store-reconnected'));
      expect((await ask('Who wrote Hamlet?')).fromModel).toBe(true);
      expect((await ask('Who wrote Hamlet?')).fromModel).toBe(false);
      await engine.close();
    }, 60_000);

    it('bounds every call: a server that stops answering costs a lookup about the timeout, not seconds', async () => {
      const warnings: CacheWarning[] = [];
      const redis = await openRedisCache({
        url: server.url,
        namespace: 'paused',
        onWarning: (w) => warnings.push(w),
      });
      const { cache } = cacheOver(redis);
      await cache.store(request('Is the store slow?'), answer('Not yet.'));
      const admin = await openRedisCache({ url: server.url, namespace: 'admin', timeoutMs: 5_000 });
      await admin.client.call('CLIENT', 'PAUSE', '1500', 'ALL');
      const started = performance.now();
      const lookup = await cache.lookup(request('Is the store slow?'));
      const elapsed = performance.now() - started;
      expect(lookup.status).toBe('miss');
      expect(lookup.trace.decision).toBe('error');
      // 50 ms default; the bound leaves room for a loaded machine, far below the 1.5 s pause.
      expect(elapsed).toBeLessThan(1_000);
      await admin.client.call('CLIENT', 'UNPAUSE');
      expect((await cache.lookup(request('Is the store slow?'))).status).toBe('hit');
      await admin.close();
      await redis.close();
    });

    it('skips and reports malformed entries, payloads and vectors, and never serves them', async () => {
      const warnings: CacheWarning[] = [];
      const onWarning = (warning: CacheWarning) => warnings.push(warning);
      const writer = await openRedisCache({
        url: server.url,
        namespace: 'malformed',
        timeoutMs: 5_000,
        onWarning,
      });
      const { cache } = cacheOver(writer, warnings);
      await cache.store(request('What is two plus two?'), answer('Four.'));
      await cache.store(request('What is the boiling point of water?'), answer('100 °C.'));
      const [wrongTypes, truncated] = [
        request('What is two plus two?'),
        request('What is the boiling point of water?'),
      ];
      await writer.client.hset(entryKey('malformed', wrongTypes), 'createdAt', 'yesterday');
      const payload = (await writer.client.hget(entryKey('malformed', truncated), 'payload')) ?? '';
      expect(payload).toContain('100 °C.');
      await writer.client.hset(
        entryKey('malformed', truncated),
        'payload',
        payload.slice(0, payload.length / 2),
      );
      expect((await cache.lookup(wrongTypes)).status).toBe('miss');
      expect((await cache.lookup(truncated)).status).toBe('miss');
      expect(warnings.map((warning) => warning.code)).toEqual(
        expect.arrayContaining(['malformed-entry', 'corrupted-entry']),
      );

      // Vectors of the wrong dimension, in the shared log (read by a running process) and in the
      // shared hash (read by a process that starts later): skipped and reported, the rest is found.
      const reader = await openRedisCache({
        url: server.url,
        namespace: 'malformed',
        timeoutMs: 5_000,
        onWarning,
      });
      await cache.store(request('How many legs has a spider?'), answer('Eight.'));
      const sequence = await writer.client.incr('tokenomics:malformed:vec-seq');
      const short = Buffer.alloc(6).toString('base64');
      await writer.client.xadd(
        'tokenomics:malformed:vec-log',
        '*',
        'seq',
        String(sequence),
        'op',
        'add',
        'key',
        'bogus',
        'partition',
        'any',
        'vector',
        short,
      );
      const spider = request('how many legs has a spider');
      expect(await cacheOver(reader).cache.lookup(spider)).toMatchObject({ status: 'hit', kind: 'semantic' });
      expect(warnings.filter((warning) => warning.code === 'malformed-vector')).toHaveLength(1);
      await writer.client.hset('tokenomics:malformed:vec', 'bogus-2', JSON.stringify(['any', short]));
      const later = await openRedisCache({
        url: server.url,
        namespace: 'malformed',
        timeoutMs: 5_000,
        onWarning,
      });
      expect(await cacheOver(later).cache.lookup(spider)).toMatchObject({ status: 'hit', kind: 'semantic' });
      expect(warnings.filter((warning) => warning.code === 'malformed-vector')).toHaveLength(2);
      await later.close();

      // Bandit statistics cut short: reported, read as absent, overwritten by the next update.
      const bandit = await openRedisBanditStateStore({
        url: server.url,
        namespace: 'malformed',
        timeoutMs: 5_000,
        onWarning,
      });
      await writer.client.hset(
        'tokenomics:malformed:bandit:b',
        'meta',
        '{"dimensions":2,"arms":[{"id":"x"}]}',
        'data',
        'abc',
        'version',
        '1',
      );
      expect(await bandit.load('b')).toBeUndefined();
      expect(warnings.map((warning) => warning.code)).toContain('malformed-bandit-state');
      await reader.close();
      await writer.close();
      await bandit.close();
    });

    it('a store opened while the server is down still answers (from the model) and connects later', async () => {
      await server.kill();
      const warnings: CacheWarning[] = [];
      const redis = await openRedisCache({
        url: server.url,
        namespace: 'late',
        connectWaitMs: 100,
        onWarning: (warning) => warnings.push(warning),
      });
      const engine = new SemanticCache({
        store: redis.store,
        vectorIndex: redis.vectorIndex,
        embedder,
        verifier: false,
        onWarning: (warning) => warnings.push(warning),
      });
      const { ask } = cachedModel(engine, warnings);
      expect((await ask('Are you there?')).fromModel).toBe(true);
      await server.start();
      await eventually(async () => {
        await ask('Are you there?');
        return !(await ask('Are you there?')).fromModel;
      });
      await engine.close();
    }, 60_000);
  },
);

function entryKey(namespace: string, question: TokenomicsRequest): string {
  return `tokenomics:${namespace}:e:${exactKey(question)}`;
}
