/**
 * An existing LangChain chain (prompt → chat model → parser) gets the Tokenomics cache by
 * wrapping its chat model; nothing else in the chain changes. The same question asked again, or
 * asked again in other case and punctuation, is answered from the cache, for `invoke` and
 * `stream` alike.
 *
 * Offline (no OPENAI_API_KEY) the chat model is a labelled stand-in; with the key it is gpt-4o-mini.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { fakeModel } from '@langchain/core/testing';
import { ChatOpenAI } from '@langchain/openai';
import { UseLiteEmbedder } from '@tokenomics/core';
import { TokenomicsCache, type TokenomicsCacheEvent, withStreamingCache } from '@tokenomics/langchain-cache';

const live = Boolean(process.env.OPENAI_API_KEY);
console.log(
  live ? 'model: openai gpt-4o-mini' : 'model: [offline stand-in] (set OPENAI_API_KEY to call OpenAI)',
);

// 1. The chain as it was.
const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'You are the support assistant of Acme Cloud. Answer in one sentence.'],
  ['human', '{question}'],
]);
const model: BaseChatModel = live ? new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0 }) : standInModel();

// 2. The cache: exact keys plus semantic lookup with the offline USE-lite embedder.
const events: TokenomicsCacheEvent[] = [];
const cache = new TokenomicsCache({
  embedder: new UseLiteEmbedder(),
  scope: { tenant: 'acme' },
  onEvent: (event) => events.push(event),
});

// 3. The same chain, its model wrapped: `invoke`, `batch` and `stream` all go through the cache.
const chain = prompt.pipe(withStreamingCache(model, cache)).pipe(new StringOutputParser());

const questions = [
  'How do I reset my password?', // the model answers, the answer is stored
  'How do I reset my password?', // the same question: an exact hit
  'how do I reset my password', // other case and punctuation: a semantic hit
];
const answers: string[] = [];
for (const question of questions) {
  answers.push(await chain.invoke({ question }));
  const event = events.filter((entry) => entry.type === 'hit' || entry.type === 'miss').at(-1);
  console.log(`${question.padEnd(30)} → ${event?.type} ${event?.kind ?? ''}  ${answers.at(-1)}`);
}

let streamed = '';
for await (const text of await chain.stream({ question: 'How do I reset my password?' })) streamed += text;
console.log(
  `stream of the same question    → ${events.filter((entry) => entry.type === 'hit').length} hits so far`,
);

const hits = events.filter((event) => event.type === 'hit');
check(hits.length === 3, `three of four calls are hits (got ${hits.length})`);
check(hits[0]?.kind === 'exact', 'the repeated question is an exact hit');
check(
  answers[1] === answers[0] && answers[2] === answers[0] && streamed === answers[0],
  'hits return the stored answer',
);
await cache.close();

function standInModel(): BaseChatModel {
  const answer = (messages: BaseMessage[]) =>
    new AIMessage(`[offline stand-in] An answer to: ${messages.at(-1)?.text ?? ''}`);
  // One queued answer per call the stand-in may receive: a second model call here would be a cache miss.
  return fakeModel().respond(answer).respond(answer);
}

function check(condition: boolean, claim: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${claim}`);
  if (!condition) process.exitCode = 1;
}
