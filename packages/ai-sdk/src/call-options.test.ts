import { MemoryCacheStore, SemanticCache } from '@tokenomics/core';
import { generateText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { getCacheMetadata } from './cache-metadata';
import { cacheMiddleware } from './cache-middleware';
import { mergeScopes, readCallOptions } from './call-options';
import { fakeModel } from './test-utils/fake-model';

describe('mergeScopes', () => {
  it('keeps the configured field when a later scope sets the same field', () => {
    expect(mergeScopes({ tenant: 'acme' }, { tenant: 'globex', user: 'alice' })).toEqual({
      tenant: 'acme',
      user: 'alice',
    });
  });

  it('fills only the fields the configured scope leaves unset', () => {
    expect(mergeScopes({ tenant: 'acme', namespace: 'faq' }, { user: 'bob', namespace: 'other' })).toEqual({
      tenant: 'acme',
      user: 'bob',
      namespace: 'faq',
    });
    expect(mergeScopes(undefined, { user: 'bob' })).toEqual({ user: 'bob' });
    expect(mergeScopes(undefined, undefined)).toBeUndefined();
  });
});

describe('readCallOptions', () => {
  it('refuses a scope field placed beside scope, rather than ignoring it', () => {
    const result = readCallOptions({ prompt: [], providerOptions: { tokenomics: { tenant: 'acme' } } });
    expect(result.ok).toBe(false);
  });
});

describe('per-call scope in the cache middleware', () => {
  it('cannot move a call out of the tenant the middleware was configured with', async () => {
    // One engine shared by two tenants' middlewares, as a server would do with one SQLite file.
    const engine = new SemanticCache({ store: new MemoryCacheStore(), onWarning: () => {} });
    const globexModel = fakeModel(() => ({ text: 'globex private answer' }));
    const acmeModel = fakeModel(() => ({ text: 'acme answer' }));
    const globex = wrapLanguageModel({
      model: globexModel,
      middleware: cacheMiddleware({ engine, scope: { tenant: 'globex' } }),
    });
    const acme = wrapLanguageModel({
      model: acmeModel,
      middleware: cacheMiddleware({ engine, scope: { tenant: 'acme' } }),
    });
    const prompt = 'What is our refund policy?';

    await generateText({ model: globex, prompt });
    const attempt = await generateText({
      model: acme,
      prompt,
      providerOptions: { tokenomics: { scope: { tenant: 'globex' } } },
    });

    expect(attempt.text).toBe('acme answer');
    expect(getCacheMetadata(attempt.providerMetadata)?.cached).toBe(false);
    expect(acmeModel.doGenerateCalls.length).toBe(1);
  });

  it('still lets a call narrow its scope to a user inside the configured tenant', async () => {
    const engine = new SemanticCache({ store: new MemoryCacheStore(), onWarning: () => {} });
    const inner = fakeModel(() => ({ text: 'answer' }));
    const model = wrapLanguageModel({
      model: inner,
      middleware: cacheMiddleware({ engine, scope: { tenant: 'acme' } }),
    });
    const ask = (user: string) =>
      generateText({
        model,
        prompt: 'Summarise my orders',
        providerOptions: { tokenomics: { scope: { user } } },
      });

    await ask('alice');
    await ask('bob');
    const again = await ask('alice');

    expect(inner.doGenerateCalls.length).toBe(2);
    expect(getCacheMetadata(again.providerMetadata)?.cached).toBe(true);
  });
});
