import { describe, expect, it } from 'vitest';
import { CacheStoreError, MissingOptionalDependencyError } from '../cache/errors';
import { EmbedderUnavailableError } from '../embedder/embedder-unavailable-error';
import { InvalidRouterOptionsError } from '../router/errors';
import { StreamCommittedError } from '../router/stream-committed-error';
import { TokenomicsError } from './tokenomics-error';

describe('TokenomicsError', () => {
  it('catches every Tokenomics error, by isInstance and by instanceof', () => {
    const errors = [
      new CacheStoreError('closed'),
      new MissingOptionalDependencyError({ packageName: 'better-sqlite3', feature: 'The SQLite store' }),
      new EmbedderUnavailableError({ packages: ['x'], embedder: 'UseLiteEmbedder' }),
      new InvalidRouterOptionsError('two tiers'),
      new StreamCommittedError('mini'),
    ];
    for (const error of errors) {
      expect(TokenomicsError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(TokenomicsError);
    }
  });

  it('does not claim other errors, and subclasses still tell themselves apart', () => {
    expect(TokenomicsError.isInstance(new Error('plain'))).toBe(false);
    expect(TokenomicsError.isInstance('CacheStoreError')).toBe(false);
    expect(CacheStoreError.isInstance(new InvalidRouterOptionsError('x'))).toBe(false);
    expect(InvalidRouterOptionsError.isInstance(new InvalidRouterOptionsError('x'))).toBe(true);
  });

  it('recognises an error from another copy of the package by its marker and name', () => {
    const copy = Object.assign(new Error('closed'), {
      name: 'CacheStoreError',
      [Symbol.for('tokenomics.error')]: true,
    });
    expect(TokenomicsError.isInstance(copy)).toBe(true);
    expect(CacheStoreError.isInstance(copy)).toBe(true);
  });
});
