import { HumanMessage } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { classifierPrior, type DecisionTrace } from '@tokenomics/core';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { describe, expect, it } from 'vitest';
import type { PipelineCallReport } from './pipeline-chat-model';
import { createTokenomicsStack, type TokenomicsStackOptions } from './tokenomics-stack';

const PRICES = {
  cheap: { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  strong: { inputPerMillion: 10, outputPerMillion: 30 },
};
const NOTE = 'The cafeteria on the second floor serves soup and salad from eleven until two every weekday.';
const FACT = 'The harbor bridge opened in 1932 after eight years of construction by 1,400 workers.';
const DOCUMENT = `Retrieved document: ${Array.from({ length: 40 }, (_, index) => `Note ${index}: ${NOTE}`).join(' ')} ${FACT}`;

function setup(overrides: Partial<TokenomicsStackOptions> = {}) {
  const cheap = new ScriptedChatModel({
    model: 'cheap-1',
    answers: (question) => ({ text: `cheap: ${question}` }),
  });
  const strong = new ScriptedChatModel({
    model: 'strong-1',
    answers: (question) => ({ text: `strong: ${question}` }),
  });
  const traces: DecisionTrace[] = [];
  const reports: PipelineCallReport[] = [];
  const stack = createTokenomicsStack({
    router: {
      tiers: [
        { id: 'cheap', model: cheap, price: PRICES.cheap },
        { id: 'strong', model: strong, price: PRICES.strong },
      ],
      policy: classifierPrior({ prior: (features) => (/prove/i.test(features.text) ? 0.1 : 0.9) }),
    },
    cache: {},
    compression: { rate: 0.3, minTokens: 0 },
    traceSinks: [(trace) => void traces.push(trace)],
    onCall: (report) => reports.push(report),
    ...overrides,
  });
  return { stack, cheap, strong, traces, reports };
}

const withDocument = (question: string) => [new HumanMessage(DOCUMENT), new HumanMessage(question)];

describe('createTokenomicsStack (LangChain)', () => {
  it('answers a repeated question from the cache, in a prompt | model chain: one record and one trace per call', async () => {
    const { stack, cheap, strong, traces } = setup();
    const chain = ChatPromptTemplate.fromMessages([['human', '{question}']]).pipe(stack.model);
    const first = await chain.invoke({ question: 'What is the capital of France?' });
    const second = await chain.invoke({ question: 'What is the capital of France?' });
    expect(second.text).toBe(first.text);
    expect(cheap.calls.length + strong.calls.length).toBe(1);
    const records = stack.ledger.entries();
    expect(records.map((record) => record.stage)).toEqual(['pipeline', 'pipeline']);
    expect(traces).toHaveLength(2);
    expect(records[1]?.savedByStage?.cache.dollars).toBeGreaterThan(0);
    expect(records[1]?.spent.dollars).toBe(0);
  });

  it('compresses the retrieved document and routes the easy question to the cheap tier, splitting the saving', async () => {
    const { stack, cheap, reports } = setup({
      recordedBaseline: () => ({ inputTokens: 900, outputTokens: 40 }),
    });
    await stack.model.invoke(withDocument('When did the harbor bridge open?'));
    expect(cheap.calls).toHaveLength(1);
    const sent = cheap.calls[0]?.messages.map((message) => message.text).join(' ') ?? '';
    expect(sent.length).toBeLessThan(DOCUMENT.length);
    expect(sent).toContain('When did the harbor bridge open?');
    const [record] = stack.ledger.entries();
    expect(record?.baselineSource).toBe('recorded');
    expect(record?.savedByStage?.compression.tokens).toBeGreaterThan(0);
    expect(record?.savedByStage?.routing.dollars).toBeGreaterThan(0);
    expect(reports[0]?.route?.tier).toBe('cheap');
  });

  it('streams through every stage and replays the stream from the cache the second time', async () => {
    const { stack, strong } = setup();
    const read = async () => {
      let text = '';
      for await (const chunk of await stack.model.stream('Prove that there are infinitely many primes.'))
        text += chunk.text;
      return text;
    };
    const first = await read();
    const second = await read();
    expect(first).toBe('strong: Prove that there are infinitely many primes.');
    expect(second).toBe(first);
    expect(strong.calls).toHaveLength(1);
    expect(stack.ledger.entries()).toHaveLength(2);
  });

  it('binds tools through every stage to the tier that answers, for invoke and stream', async () => {
    const { stack, cheap } = setup({ cache: false });
    const tools = [
      { type: 'function', function: { name: 'lookup', description: 'Looks up', parameters: {} } },
    ];
    const bound = stack.model.bindTools(tools);
    await bound.invoke('What is the capital of France?');
    for await (const _chunk of await bound.stream('What is the capital of Spain?'));
    expect(cheap.calls.map((call) => call.options.tools)).toEqual([tools, tools]);
  });

  it('switches stages off: the plain model answers every call, uncompressed', async () => {
    const model = new ScriptedChatModel({
      model: 'plain-1',
      answers: (question) => ({ text: `plain: ${question}` }),
    });
    const { stack } = setup({
      router: false,
      cache: false,
      compression: false,
      model,
      modelPrice: PRICES.cheap,
    });
    await stack.model.invoke(withDocument('When did the harbor bridge open?'));
    await stack.model.invoke(withDocument('When did the harbor bridge open?'));
    expect(model.calls).toHaveLength(2);
    expect(model.calls[0]?.messages[0]?.text).toBe(DOCUMENT);
    expect(stack.ledger.entries().map((record) => [record.baselineSource, record.saved.tokens])).toEqual([
      ['call', 0],
      ['call', 0],
    ]);
  });

  it('in shadow mode calls the strong tier with the original prompt while each stage reports its decision', async () => {
    const { stack, cheap, strong, reports } = setup({ shadow: true });
    await stack.model.invoke(withDocument('When did the harbor bridge open?'));
    await stack.model.invoke(withDocument('When did the harbor bridge open?'));
    expect(cheap.calls).toHaveLength(0);
    expect(strong.calls).toHaveLength(2);
    expect(strong.calls[0]?.messages[0]?.text).toBe(DOCUMENT);
    expect(reports.map((report) => report.shadowRoute?.tier)).toEqual(['cheap', 'cheap']);
    expect(reports[0]?.compression?.shadow).toBe(true);
    expect(stack.ledger.entries().every((record) => record.baselineSource === 'call')).toBe(true);
  });
});
