import { SemanticCache } from '../cache/semantic-cache';
import type { CacheWarning } from '../cache/types';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { openSqliteCache, type SqliteCache } from '../store/open-sqlite-cache';
import { chatRequest, textAnswer } from './cache-fixtures';

/**
 * The workload of the many-processes test: each process writes its own entries to one SQLite
 * file and reads everyone's. Questions are made of pseudo-random syllables, so they are far
 * apart for the hashing embedder; a paraphrase (lower case, no question mark) is at ~1.
 */
export function question(writer: number, index: number): string {
  return `How do I ${word(writer * 7_919 + index)} the ${word(index * 104_729 + writer)} of ${word(writer + index * 31)}?`;
}

export function paraphrase(writer: number, index: number): string {
  return question(writer, index).toLowerCase().replace('?', '');
}

export function answer(writer: number, index: number): string {
  return `answer ${writer}/${index}: ${'x'.repeat((index % 7) * 40)}`;
}

const SYLLABLES = [
  'ka',
  'lo',
  'mir',
  'ten',
  'su',
  'vor',
  'pe',
  'dal',
  'qui',
  'ro',
  'zan',
  'fe',
  'gul',
  'ny',
  'bro',
  'che',
];

function word(seed: number): string {
  let state = (seed * 2_654_435_761) >>> 0;
  let text = '';
  for (let syllable = 0; syllable < 3; syllable++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    text += SYLLABLES[(state >>> 16) % SYLLABLES.length];
  }
  return text;
}

export type SharedFileCache = { sqlite: SqliteCache; cache: SemanticCache; warnings: CacheWarning[] };

export async function openSharedFileCache(path: string, approximateFrom: number): Promise<SharedFileCache> {
  const warnings: CacheWarning[] = [];
  const onWarning = (warning: CacheWarning) => warnings.push(warning);
  const sqlite = await openSqliteCache({ path, vectorIndex: { approximateFrom }, onWarning });
  const cache = new SemanticCache({
    store: sqlite.store,
    vectorIndex: sqlite.vectorIndex,
    // Short vectors keep the test quick; the store does the same work per row as with 512.
    embedder: new HashingEmbedder({ dimensions: 96 }),
    verifier: false,
    threshold: 0.95,
    onWarning,
  });
  return { sqlite, cache, warnings };
}

/** What a reader saw: hits, the questions that missed, and any hit whose answer was not the one stored for its question. */
export type ReadTally = { hits: number; misses: string[]; wrong: string[] };

export async function readBack(
  cache: SemanticCache,
  questions: Array<{ writer: number; index: number }>,
  ask: (writer: number, index: number) => string,
): Promise<ReadTally> {
  const tally: ReadTally = { hits: 0, misses: [], wrong: [] };
  for (const { writer, index } of questions) {
    const lookup = await cache.lookup(chatRequest(ask(writer, index)));
    if (lookup.status !== 'hit') {
      tally.misses.push(`${writer}/${index}: ${lookup.trace.reason}`);
      continue;
    }
    const part = lookup.response.content[0];
    const text = part?.type === 'text' ? part.text : '';
    if (text === answer(writer, index)) tally.hits++;
    else tally.wrong.push(`${writer}/${index} got "${text.slice(0, 40)}"`);
  }
  return tally;
}

export async function writeOne(cache: SemanticCache, writer: number, index: number): Promise<boolean> {
  const outcome = await cache.store(chatRequest(question(writer, index)), textAnswer(answer(writer, index)));
  return outcome.stored;
}
