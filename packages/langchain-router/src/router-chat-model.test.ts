import { type AIMessageChunk, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { tool } from '@langchain/core/tools';
import {
  CostLedger,
  cascade,
  classifierPrior,
  createPricing,
  createRouter,
  type DecisionTrace,
  fixed,
  refusalScorer,
  structuredOutputScorer,
} from '@tokenomics/core';
import { ScriptedChatModel, type ScriptedReply } from '@tokenomics/langchain-common/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getRouteMetadata } from './route-metadata';
import { RouterChatModel } from './router-chat-model';

const PRICES = {
  cheap: { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  strong: { inputPerMillion: 10, outputPerMillion: 30 },
};

function tiers(
  cheapReply: (question: string) => ScriptedReply,
  strongReply: (question: string) => ScriptedReply,
) {
  const cheap = new ScriptedChatModel({ model: 'small-1', answers: cheapReply });
  const strong = new ScriptedChatModel({ model: 'large-1', answers: strongReply });
  return {
    cheap,
    strong,
    // Strong first: the router sorts by price, so the order given must not matter.
    tiers: [
      { id: 'strong', model: strong, price: PRICES.strong },
      { id: 'cheap', model: cheap, price: PRICES.cheap },
    ],
  };
}

function dollarsOf(
  message: BaseMessage,
  price: { inputPerMillion: number; outputPerMillion: number },
): number {
  const usage = (message as AIMessageChunk).usage_metadata;
  if (!usage) throw new Error('no usage');
  return (
    (usage.input_tokens * price.inputPerMillion + usage.output_tokens * price.outputPerMillion) / 1_000_000
  );
}

const hardPrior = (features: { text: string }) => (/prove|derive/i.test(features.text) ? 0.1 : 0.9);

describe('RouterChatModel', () => {
  it('sends each prompt where the classifier prior says, and reports route, cost and trace id', async () => {
    const setup = tiers(
      () => ({ text: 'cheap answer' }),
      () => ({ text: 'strong answer' }),
    );
    const router = new RouterChatModel({ tiers: setup.tiers, policy: classifierPrior({ prior: hardPrior }) });

    const easy = await router.invoke('What is the capital of France?');
    const hard = await router.invoke('Prove that there are infinitely many primes.');

    expect(easy.text).toBe('cheap answer');
    expect(hard.text).toBe('strong answer');
    expect(setup.cheap.calls).toHaveLength(1);
    expect(setup.strong.calls).toHaveLength(1);
    const easyRoute = getRouteMetadata(easy);
    const hardRoute = getRouteMetadata(hard);
    expect(easyRoute?.route).toMatchObject({
      tier: 'cheap',
      model: 'scripted:small-1',
      policy: 'classifier',
    });
    expect(easyRoute?.route.prior).toBeCloseTo(0.9);
    expect(hardRoute?.route).toMatchObject({ tier: 'strong', escalated: false });
    expect(easyRoute?.cost.dollars).toBeCloseTo(dollarsOf(easy, PRICES.cheap), 12);
    expect(easyRoute?.cost.savedDollars).toBeGreaterThan(0);
    expect(hardRoute?.cost.savedDollars).toBeCloseTo(0, 12);
    expect(router.explain(easyRoute!.traceId)?.tierId).toBe('cheap');
    await expect(router.feedback(easyRoute!.traceId, 1)).resolves.toBe(true);
    await expect(router.feedback('no-such-trace', 1)).resolves.toBe(false);
  });

  it('escalates a cascade on invalid JSON and on a refusal, charging both calls in the ledger', async () => {
    const setup = tiers(
      (question) =>
        question.includes('JSON')
          ? { text: '{"city": "Paris",' }
          : { text: "I'm sorry, but I can't help with that." },
      (question) =>
        question.includes('JSON') ? { text: '{"city": "Paris"}' } : { text: 'Here is the answer: 42.' },
    );
    const ledger = new CostLedger({ pricing: createPricing({ registry: false }) });
    const router = new RouterChatModel({
      tiers: setup.tiers,
      policy: cascade({ scorers: [structuredOutputScorer(), refusalScorer()] }),
      ledger,
    });
    const json = router.withConfig({ response_format: { type: 'json_object' } } as never);

    const jsonAnswer = await json.invoke('Answer in JSON: which city is the capital of France?');
    const refused = await router.invoke('What is six times seven?');

    expect(jsonAnswer.text).toBe('{"city": "Paris"}');
    expect(refused.text).toBe('Here is the answer: 42.');
    expect(setup.cheap.calls).toHaveLength(2);
    expect(setup.strong.calls).toHaveLength(2);
    const jsonRoute = getRouteMetadata(jsonAnswer)!;
    expect(jsonRoute.route.escalated).toBe(true);
    expect(jsonRoute.route.attempts.map((attempt) => `${attempt.tier}:${attempt.outcome}`)).toEqual([
      'cheap:escalated',
      'strong:accepted',
    ]);
    expect(jsonRoute.route.attempts[0]?.reason).toMatch(/invalid JSON/);
    expect(getRouteMetadata(refused)!.route.attempts[0]?.reason).toMatch(/refusal/);
    // Both calls are paid for, and the answer's usage counts both.
    const strongAttempt = jsonRoute.route.attempts.find((attempt) => attempt.tier === 'strong');
    expect(jsonRoute.cost.dollars).toBeGreaterThan(strongAttempt?.dollars ?? 0);
    expect(dollarsOf(jsonAnswer, PRICES.strong)).toBeGreaterThan(jsonRoute.cost.dollars);
    expect(jsonRoute.usage.tiers.map((tier) => tier.tierId)).toEqual(['cheap', 'strong']);
    expect((jsonAnswer as AIMessageChunk).usage_metadata?.output_tokens).toBe(
      jsonRoute.usage.tiers.reduce((sum, tier) => sum + (tier.usage.outputTokens ?? 0), 0),
    );
    expect(jsonRoute.cost.savedDollars).toBeLessThan(0);
    const record = ledger.entries({ traceId: jsonRoute.traceId })[0];
    expect(record?.spent.calls?.map((call) => call.model).sort()).toEqual([
      'scripted:large-1',
      'scripted:small-1',
    ]);
  });

  it('records the scope in the ledger; a call adds a user but cannot change the tenant', async () => {
    const setup = tiers(
      () => ({ text: 'ok' }),
      () => ({ text: 'unused' }),
    );
    const ledger = new CostLedger({ pricing: createPricing({ registry: false }) });
    const router = new RouterChatModel({
      tiers: setup.tiers,
      policy: fixed('cheap'),
      ledger,
      scope: { tenant: 'acme' },
    });
    const answer = await router.invoke('hi', { routerScope: { tenant: 'globex', user: 'bob' } });
    const record = ledger.entries({ traceId: getRouteMetadata(answer)!.traceId })[0];
    expect(record?.scope).toEqual({ tenant: 'acme', user: 'bob' });
    expect(setup.cheap.calls[0]?.options).not.toHaveProperty('routerScope');
  });

  it('accepts a good cheap answer in a cascade without calling the strong tier', async () => {
    const setup = tiers(
      () => ({ text: 'Paris.' }),
      () => ({ text: 'unused' }),
    );
    const router = new RouterChatModel({
      tiers: setup.tiers,
      policy: cascade({ scorers: [refusalScorer()] }),
    });
    const answer = await router.invoke('Capital of France?');
    expect(answer.text).toBe('Paris.');
    expect(setup.strong.calls).toHaveLength(0);
    expect(getRouteMetadata(answer)?.route.attempts.map((attempt) => attempt.outcome)).toEqual(['accepted']);
  });

  it('falls back to another tier when one fails, with the error in the trace', async () => {
    const setup = tiers(
      () => ({ error: new Error('rate limited') }),
      () => ({ text: 'strong answer' }),
    );
    const traces: DecisionTrace[] = [];
    const router = new RouterChatModel({
      tiers: setup.tiers,
      policy: fixed('cheap'),
      retry: false,
      traceSinks: [(trace) => void traces.push(trace)],
    });
    const answer = await router.invoke('hello');
    expect(answer.text).toBe('strong answer');
    expect(traces[0]?.steps.map((step) => `${step.stage}:${step.decision}`)).toEqual(
      expect.arrayContaining(['router:route', 'model:error', 'router:fallback']),
    );
    expect(traces[0]?.steps.find((step) => step.stage === 'model')?.reason).toBe('rate limited');
    const route = getRouteMetadata(answer)!.route;
    expect(route.attempts[0]).toMatchObject({
      tier: 'cheap',
      outcome: 'failed',
      error: { message: 'rate limited' },
    });
    expect(router.explain(route.traceId)?.attempts.map((attempt) => attempt.outcome)).toEqual([
      'failed',
      'accepted',
    ]);
  });

  it('binds tools on every tier; a cascade escalates a tool call whose arguments break the schema', async () => {
    const weather = tool(async ({ city }: { city: string }) => `Sunny in ${city}`, {
      name: 'get_weather',
      description: 'Weather for a city',
      schema: z.object({ city: z.string() }),
    });
    const setup = tiers(
      () => ({ toolCalls: [{ id: 'call-1', name: 'get_weather', args: { town: 'Paris' } }] }),
      () => ({ toolCalls: [{ id: 'call-2', name: 'get_weather', args: { city: 'Paris' } }] }),
    );
    const router = new RouterChatModel({
      tiers: setup.tiers,
      policy: cascade({ scorers: [structuredOutputScorer()] }),
    });
    const answer = (await router.bindTools([weather]).invoke('Weather in Paris?')) as AIMessageChunk;
    expect(answer.tool_calls).toEqual([
      expect.objectContaining({ name: 'get_weather', args: { city: 'Paris' } }),
    ]);
    // Each tier got the tools through its own bindTools.
    expect(setup.cheap.calls[0]?.options.tools).toHaveLength(1);
    expect(setup.strong.calls[0]?.options.tools).toHaveLength(1);
    expect(getRouteMetadata(answer)?.route.attempts[0]?.reason).toMatch(/get_weather/);
  });

  it('gives structured output through the tiers, escalating an extraction that misses a field', async () => {
    const setup = tiers(
      () => ({ toolCalls: [{ id: 'c1', name: 'extract', args: { name: 'Ada' } }] }),
      () => ({ toolCalls: [{ id: 'c2', name: 'extract', args: { name: 'Ada', born: 1815 } }] }),
    );
    const router = new RouterChatModel({
      tiers: setup.tiers,
      policy: cascade({ scorers: [structuredOutputScorer()] }),
    });
    const person = router.withStructuredOutput(z.object({ name: z.string(), born: z.number() }), {
      name: 'extract',
    });
    await expect(person.invoke('Ada Lovelace was born in 1815.')).resolves.toEqual({
      name: 'Ada',
      born: 1815,
    });
    expect(setup.cheap.calls).toHaveLength(1);
    expect(setup.strong.calls).toHaveLength(1);
  });

  it('uses an engine built elsewhere when its tiers match, and refuses one whose tiers do not', async () => {
    const setup = tiers(
      () => ({ text: 'cheap answer' }),
      () => ({ text: 'strong answer' }),
    );
    const engine = createRouter({
      tiers: [
        { id: 'cheap', model: 'scripted:small-1', price: PRICES.cheap },
        { id: 'strong', model: 'scripted:large-1', price: PRICES.strong },
      ],
      policy: fixed('strongest'),
    });
    const router = new RouterChatModel({ tiers: setup.tiers, engine });
    expect(router.streamingMode).toBe('after-review');
    expect((await router.invoke('hi')).text).toBe('strong answer');
    expect(
      () =>
        new RouterChatModel({
          tiers: [
            { id: 'other', model: setup.cheap },
            { id: 'strong', model: setup.strong },
          ],
          engine,
        }),
    ).toThrow(/do not match/);
  });

  it('works in a prompt | router | parser chain, with batch', async () => {
    const setup = tiers(
      (question) => ({ text: `cheap: ${question}` }),
      (question) => ({ text: `strong: ${question}` }),
    );
    const router = new RouterChatModel({ tiers: setup.tiers, policy: classifierPrior({ prior: hardPrior }) });
    const chain = ChatPromptTemplate.fromTemplate('Question: {question}')
      .pipe(router)
      .pipe(new StringOutputParser());
    const answers = await chain.batch([{ question: 'capital of Peru?' }, { question: 'derive the formula' }]);
    expect(answers).toEqual(['cheap: Question: capital of Peru?', 'strong: Question: derive the formula']);
  });

  it('streams the chosen tier live, and ends with the route on the last chunk', async () => {
    const setup = tiers(
      () => ({ text: 'one two three four' }),
      () => ({ text: 'unused' }),
    );
    const router = new RouterChatModel({ tiers: setup.tiers, policy: fixed('cheap') });
    expect(router.streamingMode).toBe('live');
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await router.stream('count')) chunks.push(chunk);
    expect(chunks.filter((chunk) => chunk.text.length > 0).length).toBeGreaterThanOrEqual(4);
    const whole = chunks.reduce((left, right) => left.concat(right));
    expect(whole.text).toBe('one two three four');
    expect(whole.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(getRouteMetadata(whole)?.route.tier).toBe('cheap');
    expect(setup.cheap.calls[0]?.streamed).toBe(true);
  });

  it('streams a cascade once the answer is accepted: an escalated cheap answer is never shown', async () => {
    const setup = tiers(
      () => ({ text: "I'm sorry, I can't help with that." }),
      () => ({ text: 'The answer is 42.' }),
    );
    const router = new RouterChatModel({
      tiers: setup.tiers,
      policy: cascade({ scorers: [refusalScorer()] }),
    });
    expect(router.streamingMode).toBe('after-review');
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await router.stream('six times seven?')) chunks.push(chunk);
    const whole = chunks.reduce((left, right) => left.concat(right));
    expect(whole.text).toBe('The answer is 42.');
    expect(chunks.filter((chunk) => chunk.text.length > 0).length).toBeGreaterThan(1);
    expect(getRouteMetadata(whole)?.route.escalated).toBe(true);
  });

  it('falls back in a live stream when a tier fails before its first chunk, and fails when it breaks mid-answer', async () => {
    const failing = tiers(
      () => ({
        text: 'never',
        error: new Error('connection reset'),
        failAfterChunks: 0,
        leadingEmptyChunk: true,
      }),
      () => ({ text: 'strong answer' }),
    );
    const router = new RouterChatModel({ tiers: failing.tiers, policy: fixed('cheap') });
    let text = '';
    for await (const chunk of await router.stream('hi')) text += chunk.text;
    expect(text).toBe('strong answer');

    const broken = tiers(
      () => ({ text: 'half an answer here', error: new Error('connection reset'), failAfterChunks: 2 }),
      () => ({ text: 'strong answer' }),
    );
    const brokenRouter = new RouterChatModel({ tiers: broken.tiers, policy: fixed('cheap') });
    const seen: string[] = [];
    await expect(async () => {
      for await (const chunk of await brokenRouter.stream('hi')) seen.push(chunk.text);
    }).rejects.toThrow('connection reset');
    expect(seen.join('')).toBe('half an ');
    // The strong tier was never spliced onto the half answer.
    expect(broken.strong.calls).toHaveLength(0);
  });

  it('stops the tier when the consumer stops reading a stream', async () => {
    const words = Array.from({ length: 200 }, (_, index) => `w${index}`).join(' ');
    const setup = tiers(
      () => ({ text: words }),
      () => ({ text: 'unused' }),
    );
    const router = new RouterChatModel({ tiers: setup.tiers, policy: fixed('cheap') });
    let read = 0;
    for await (const chunk of await router.stream('many words')) {
      if (chunk.text) read++;
      if (read === 3) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(setup.cheap.calls[0]?.chunksSent).toBeLessThan(20);
  });

  it('runs a tool loop: bound tools, a tool message back, then the final answer', async () => {
    const calculator = tool(async ({ a, b }: { a: number; b: number }) => String(a * b), {
      name: 'multiply',
      description: 'Multiplies two numbers',
      schema: z.object({ a: z.number(), b: z.number() }),
    });
    const answerFor = (label: string) => (_question: string, call: { messages: BaseMessage[] }) => {
      const toolResult = call.messages.find((message) => message.type === 'tool');
      return toolResult
        ? { text: `${label}: the product is ${toolResult.text}` }
        : { toolCalls: [{ id: 'm1', name: 'multiply', args: { a: 6, b: 7 } }] };
    };
    const cheap = new ScriptedChatModel({ model: 'small-1', answers: answerFor('cheap') });
    const strong = new ScriptedChatModel({ model: 'large-1', answers: answerFor('strong') });
    const router = new RouterChatModel({
      tiers: [
        { id: 'cheap', model: cheap, price: PRICES.cheap },
        { id: 'strong', model: strong, price: PRICES.strong },
      ],
      policy: cascade({ scorers: [structuredOutputScorer()] }),
    });
    const model = router.bindTools([calculator]);
    const messages: BaseMessage[] = [new HumanMessage('What is 6 times 7?')];
    const first = (await model.invoke(messages)) as AIMessageChunk;
    expect(first.tool_calls?.[0]).toMatchObject({ name: 'multiply', args: { a: 6, b: 7 } });
    messages.push(first);
    for (const call of first.tool_calls ?? []) {
      const output = await calculator.invoke(call.args as { a: number; b: number });
      messages.push(new ToolMessage({ content: output, tool_call_id: call.id ?? '', name: call.name }));
    }
    const final = await model.invoke(messages);
    expect(final.text).toBe('cheap: the product is 42');
    expect(strong.calls).toHaveLength(0);
  });
});
