/**
 * A retrieval chain (retriever → prompt → chat model) with the compressor between the prompt and
 * the model: the retrieved documents are cut to what bears on the question, while the system
 * prompt and the question pass untouched. Here the retriever hands over eight passages, as a
 * generous top-k does; the model sees about a third of their tokens.
 *
 * Offline (no OPENAI_API_KEY) the chat model is a labelled stand-in that shows what it received;
 * with the key it is gpt-4o-mini.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda, RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { fakeModel } from '@langchain/core/testing';
import { ChatOpenAI } from '@langchain/openai';
import type { CompressionStats } from '@tokenomics/core';
import { PromptCompressor } from '@tokenomics/langchain-compression';
import { documents } from './documents.ts';

const live = Boolean(process.env.OPENAI_API_KEY);
console.log(
  live ? 'model: openai gpt-4o-mini' : 'model: [offline stand-in] (set OPENAI_API_KEY to call OpenAI)',
);

const received: string[] = [];
const model: BaseChatModel = live ? new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0 }) : standInModel();
const retriever = RunnableLambda.from(async (_question: string) => documents.join('\n\n'));
const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'Answer the question from the documents only, in one sentence.'],
  ['human', 'Documents:\n{context}\n\nQuestion: {question}'],
]);

let stats: CompressionStats | undefined;
const compressor = new PromptCompressor({ rate: 1 / 3, onCompressed: (result) => (stats = result) });
const chain = RunnableSequence.from([
  { context: retriever, question: new RunnablePassthrough() },
  prompt,
  compressor,
  model,
  new StringOutputParser(),
]);

const question = 'How long are the backups of a deleted database kept?';
const answer = await chain.invoke(question);
console.log(
  `prompt: ${stats?.tokensBefore} → ${stats?.tokensAfter} tokens (${stats?.ratio.toFixed(1)}× fewer)`,
);
console.log(`answer: ${answer}`);

check(stats !== undefined && stats.ratio >= 2, 'the retrieved documents were compressed at least 2×');
if (live) check(/30/.test(answer), 'the answer has the 30 days from the backups passage');
else {
  check(
    /kept for 30 days/.test(received[0] ?? ''),
    'the sentence that answers the question reached the model',
  );
  check((received[0] ?? '').includes(question), 'the question reached the model whole');
}

function standInModel(): BaseChatModel {
  return fakeModel().respond((messages: BaseMessage[]) => {
    const text = messages.map((message) => message.text).join('\n');
    received.push(text);
    return new AIMessage(`[offline stand-in] I received ${text.length} characters: ${text.slice(0, 80)}…`);
  });
}

function check(condition: boolean, claim: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${claim}`);
  if (!condition) process.exitCode = 1;
}
