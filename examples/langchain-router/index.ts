/**
 * The routing chat model in a chain (prompt → router). A cascade tries the cheap tier first,
 * scores its answer (empty, refusal, hedging, truncation, JSON schema) and escalates a weak answer
 * to the strong tier; both calls of an escalated run are charged. Each answer carries its route:
 * which tier answered, why, and what it cost against always calling the strong tier.
 *
 * Offline (no OPENAI_API_KEY) both tiers are labelled stand-ins priced as gpt-4o-mini and gpt-4o,
 * and the cheap one hedges on the hard question; with the key they are the real models.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { fakeModel } from '@langchain/core/testing';
import { ChatOpenAI } from '@langchain/openai';
import { CostLedger, cascade, heuristicScorers, structuredOutputScorer } from '@tokenomics/core';
import { getRouteMetadata, RouterChatModel } from '@tokenomics/langchain-router';

const live = Boolean(process.env.OPENAI_API_KEY);
console.log(
  live
    ? 'tiers: openai gpt-4o-mini, gpt-4o'
    : 'tiers: [offline stand-in] ×2 (set OPENAI_API_KEY to call OpenAI)',
);

const ledger = new CostLedger();
const router = new RouterChatModel({
  tiers: [
    { id: 'mini', model: tierModel('gpt-4o-mini'), modelId: 'openai:gpt-4o-mini' },
    { id: 'full', model: tierModel('gpt-4o'), modelId: 'openai:gpt-4o' },
  ],
  policy: cascade({ scorers: [...heuristicScorers(), structuredOutputScorer()] }),
  ledger,
});

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'Answer briefly. If you are not sure, say so.'],
  ['human', '{question}'],
]);
const chain = prompt.pipe(router);

const easy = await chain.invoke({ question: 'What is the capital of Peru?' });
const hard = await chain.invoke({
  question: 'Prove that there are infinitely many primes p such that p + 2 is also prime.',
});
for (const answer of [easy, hard]) {
  const { route, cost } = getRouteMetadata(answer)!;
  console.log(
    `${route.tier.padEnd(4)} escalated=${String(route.escalated).padEnd(5)} $${cost.dollars.toFixed(6)} (always-strong $${cost.baselineDollars.toFixed(6)})  ${answer.text.slice(0, 70)}`,
  );
}

const easyRoute = getRouteMetadata(easy);
const hardRoute = getRouteMetadata(hard);
check(easyRoute !== undefined && hardRoute !== undefined, 'every answer carries its route');
check(easyRoute?.route.attempts[0]?.tier === 'mini', 'the cascade tries the cheap tier first');
if (!live) {
  check(easyRoute?.route.tier === 'mini' && !easyRoute.route.escalated, 'a confident cheap answer is kept');
  check(hardRoute?.route.tier === 'full' && hardRoute.route.escalated, 'a hedging cheap answer is escalated');
  check(hardRoute!.cost.dollars > easyRoute!.cost.dollars, 'the escalated run pays for both calls');
}
check(ledger.entries().length >= 2, `the ledger recorded every call (${ledger.entries().length} entries)`);

function tierModel(name: string): BaseChatModel {
  if (live) return new ChatOpenAI({ model: name, temperature: 0 });
  const model = fakeModel();
  for (let call = 0; call < 10; call++) model.respond((messages) => standInAnswer(name, messages));
  return model;
}

/** The stand-in: the cheap tier hedges on anything about primes, the strong tier always answers. */
function standInAnswer(name: string, messages: BaseMessage[]): AIMessage {
  const question = messages.at(-1)?.text ?? '';
  const hedge = name === 'gpt-4o-mini' && /prime/i.test(question);
  const content = `[offline stand-in ${name}] ${hedge ? "I'm not sure, it depends." : `An answer to: ${question}`}`;
  const outputTokens = Math.ceil(content.length / 4);
  const inputTokens = Math.ceil(messages.map((message) => message.text).join(' ').length / 4);
  return new AIMessage({
    content,
    usage_metadata: {
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      total_tokens: inputTokens + outputTokens,
    },
  });
}

function check(condition: boolean, claim: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${claim}`);
  if (!condition) process.exitCode = 1;
}
