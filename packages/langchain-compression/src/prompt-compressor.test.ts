import { Document } from '@langchain/core/documents';
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { ChatPromptValue, StringPromptValue } from '@langchain/core/prompt_values';
import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda, RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { CostLedger, InvalidCompressionOptionsError } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import { compressMessages } from './compress-messages';
import { COMPRESSION_EVENT, PromptCompressor } from './prompt-compressor';

const TOPICS = [
  'The cafeteria on the second floor serves soup and salad from eleven until two every weekday.',
  'Quarterly planning meetings move to the large conference room while the small one is repainted.',
  'The bike racks behind the building were replaced with covered ones that hold forty bicycles.',
  'New laptops arrive next month and the help desk will schedule the swap with every team lead.',
  'The library keeps reference books on the third floor and lends novels for up to three weeks.',
  'Visitors sign in at reception and wear a paper badge that expires at the end of the day.',
];
const ANSWER = 'The harbor bridge opened in 1932 after eight years of construction by 1,400 workers.';

function filler(count: number, seed = 0): string {
  return Array.from({ length: count }, (_, index) => {
    const topic = TOPICS[(index + seed) % TOPICS.length]!;
    return index < TOPICS.length ? topic : `Note ${index}: ${topic.toLowerCase()}`;
  }).join(' ');
}

/** Captures the messages a chat model received and the compression events of the run. */
function recorder() {
  const seen: { messages: BaseMessage[][]; events: unknown[] } = { messages: [], events: [] };
  const handler = {
    handleChatModelStart(_llm: unknown, messages: BaseMessage[][]) {
      seen.messages.push(messages[0]!);
    },
    handleCustomEvent(name: string, data: unknown) {
      if (name === COMPRESSION_EVENT) seen.events.push(data);
    },
  };
  return { seen, handler };
}

describe('PromptCompressor', () => {
  it('composes as prompt | compressor | model and compresses old turns only', async () => {
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'You answer questions about the office. Be brief.'],
      new MessagesPlaceholder('history'),
      ['human', '{question}'],
    ]);
    const history = [
      new HumanMessage(`Here are my notes. ${filler(20, 1)} ${ANSWER} ${filler(20, 3)}`),
      new AIMessage(`Thanks, noted. ${filler(15, 2)}`),
    ];
    const model = new FakeListChatModel({ responses: ['In 1932.'] });
    const chain = prompt.pipe(new PromptCompressor({ rate: 0.2, minTokens: 0 })).pipe(model);
    const { seen, handler } = recorder();
    const answer = await chain.invoke(
      { history, question: 'When did the harbor bridge open?' },
      { callbacks: [handler] },
    );
    expect(answer.content).toBe('In 1932.');
    const sent = seen.messages[0]!;
    expect(sent).toHaveLength(4);
    expect(sent[0]!.content).toBe('You answer questions about the office. Be brief.');
    expect(sent[3]!.content).toBe('When did the harbor bridge open?');
    expect(sent[1]!.content).toContain(ANSWER);
    const before = history.map((message) => String(message.content).length).reduce((a, b) => a + b);
    const after = sent
      .slice(1, 3)
      .map((message) => String(message.content).length)
      .reduce((a, b) => a + b);
    expect(after).toBeLessThan(before * 0.35);
    expect(seen.events).toEqual([
      expect.objectContaining({ stage: 'compression', decision: 'compress', details: expect.any(Object) }),
    ]);
  });

  it('works in a retrieval chain, keeping the answer passage and the question', async () => {
    const documents = [
      ...Array.from({ length: 12 }, (_, index) => new Document({ pageContent: filler(4, index) })),
      new Document({ pageContent: `${ANSWER} It links the north shore with the city.` }),
      ...Array.from({ length: 7 }, (_, index) => new Document({ pageContent: filler(4, index + 3) })),
    ];
    const retriever = RunnableLambda.from(async (_question: string) => documents);
    const formatDocuments = (docs: Document[]) => docs.map((doc) => doc.pageContent).join('\n');
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Answer only from the context.'],
      ['human', 'Context:\n{context}\n\nQuestion: {question}'],
    ]);
    const model = new FakeListChatModel({ responses: ['1932'] });
    const chain = RunnableSequence.from([
      { context: retriever.pipe(formatDocuments), question: new RunnablePassthrough() },
      prompt,
      new PromptCompressor({ rate: 0.2, minTokens: 0, lastUserMessage: 'question' }),
      model,
    ]);
    const { seen, handler } = recorder();
    await chain.invoke('When did the harbor bridge open?', { callbacks: [handler] });
    const human = String(seen.messages[0]![1]!.content);
    expect(human).toContain(ANSWER);
    expect(human.endsWith('\n\nQuestion: When did the harbor bridge open?')).toBe(true);
    expect(human.startsWith('Context:')).toBe(true);
    const full = `Context:\n${formatDocuments(documents)}\n\nQuestion: When did the harbor bridge open?`;
    expect(human.length).toBeLessThan(full.length * 0.3);
  });

  it('returns strings and string prompt values as the same kind', async () => {
    const text = `${filler(30)} ${ANSWER}`;
    const compressor = new PromptCompressor({ rate: 0.3, minTokens: 0, question: 'harbor bridge opened' });
    const fromString = await compressor.invoke(text);
    expect(typeof fromString).toBe('string');
    expect(fromString).toContain(ANSWER);
    expect((fromString as string).length).toBeLessThan(text.length / 2);

    const template = PromptTemplate.fromTemplate('{body}');
    const value = await template.pipe(compressor).invoke({ body: text });
    expect(value).toBeInstanceOf(StringPromptValue);
    expect(value.toString()).toBe(fromString);
  });

  it('returns a chat prompt value for a chat prompt value, unchanged when short', async () => {
    const input = new ChatPromptValue([new SystemMessage('Be brief.'), new HumanMessage('Hi there')]);
    const reports: unknown[] = [];
    const output = await new PromptCompressor({
      rate: 0.2,
      onCompressed: (result) => reports.push(result),
    }).invoke(input);
    expect(output).toBeInstanceOf(ChatPromptValue);
    expect((output as ChatPromptValue).messages[1]).toBe(input.messages[1]);
    expect(reports).toEqual([expect.objectContaining({ skipped: 'short' })]);
  });
});

describe('compressMessages', () => {
  it('keeps tool calls, tool messages and the last question; untouched messages are the same objects', async () => {
    const call = new AIMessage({
      content: '',
      tool_calls: [{ id: 'call_1', name: 'lookup', args: { query: 'bridge  opening' } }],
    });
    const tool = new ToolMessage({
      content: `{"opened": 1932, "notes": "${filler(3)}"}`,
      tool_call_id: 'call_1',
    });
    const messages = [
      new SystemMessage('You are terse.'),
      new HumanMessage(filler(40, 2)),
      new AIMessage(filler(30, 4)),
      new HumanMessage('Look it up.'),
      call,
      tool,
      new HumanMessage('So when did the harbor bridge open?'),
    ];
    const result = await compressMessages(messages, { rate: 0.2, minTokens: 0 });
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore * 0.6);
    expect(result.messages).toHaveLength(messages.length);
    for (const index of [0, 3, 4, 5, 6]) expect(result.messages[index]).toBe(messages[index]);
    expect(result.messages[1]).toBeInstanceOf(HumanMessage);
    expect(result.messages[2]).toBeInstanceOf(AIMessage);
    expect(String(result.messages[1]!.content).length).toBeLessThan(String(messages[1]!.content).length);
  });

  it('never changes messages up to a cache_control breakpoint', async () => {
    const marked = new HumanMessage({
      content: [{ type: 'text', text: filler(40, 1), cache_control: { type: 'ephemeral' } }],
    });
    const messages = [
      marked,
      new AIMessage(filler(30, 4)),
      new HumanMessage('When did the harbor bridge open?'),
    ];
    const result = await compressMessages(messages, { rate: 0.2, minTokens: 0 });
    expect(result.messages[0]).toBe(marked);
    expect(String(result.messages[1]!.content).length).toBeLessThan(String(messages[1]!.content).length);
  });
});

describe('ledger and options', () => {
  const documents = Array.from(
    { length: 16 },
    (_, index) => `Document [${index + 1}] ${index === 11 ? ANSWER : filler(3, index)}`,
  ).join('\n');
  const prompt = ChatPromptTemplate.fromMessages([
    ['system', 'Answer only from the documents.'],
    ['human', '{documents}\n\nQuestion: {question}'],
  ]);

  it('records the compression under the chat model it is piped into', async () => {
    const ledger = new CostLedger();
    const model = new FakeListChatModel({ responses: ['1932'] });
    const chain = prompt.pipe(new PromptCompressor({ rate: 1 / 3, ledger }).pipe(model));
    const { seen, handler } = recorder();
    await chain.invoke({ documents, question: 'When did the harbor bridge open?' }, { callbacks: [handler] });
    const human = String(seen.messages[0]![1]!.content);
    expect(human).toContain(ANSWER);
    expect(human.endsWith('Question: When did the harbor bridge open?')).toBe(true);
    const [entry, ...rest] = ledger.entries();
    expect(rest).toEqual([]);
    expect(entry!.model).not.toBe('langchain');
    expect(entry!.model).toContain('fake');
    expect(entry!.spent.tokens).toBeLessThan(entry!.baseline.tokens / 2);
  });

  it('takes the model id from the model option, and refuses a ledger without a model', async () => {
    const ledger = new CostLedger();
    const messages = [
      new SystemMessage('Answer only from the documents.'),
      new HumanMessage(`${documents}\n\nQuestion: When did the harbor bridge open?`),
    ];
    await compressMessages(messages, { rate: 1 / 3, ledger, model: 'openai:gpt-4o-mini' });
    expect(ledger.entries().map((entry) => entry.model)).toEqual(['openai:gpt-4o-mini']);
    await expect(compressMessages(messages, { rate: 1 / 3, ledger })).rejects.toSatisfy(
      InvalidCompressionOptionsError.isInstance,
    );
  });

  it('rejects rate: 3 when the compressor is created, saying to write 1 / 3', () => {
    expect(() => new PromptCompressor({ rate: 3 })).toThrow(/rate: 1 \/ 3/);
  });
});
