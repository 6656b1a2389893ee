/**
 * The routing chat model as the model of a LangChain v1 agent (`createAgent`) with a tool. Every
 * model call of the agent's loop is routed on its own: the shipped classifier prior (trained on
 * public router data, run offline) estimates whether the cheap tier is good enough. Tools are
 * bound on every tier, so whichever tier answers can call them.
 *
 * Offline (no OPENAI_API_KEY) both tiers are labelled stand-ins that call the tool and then answer
 * from its result; with the key they are gpt-4o-mini and gpt-4o.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { ChatOpenAI } from '@langchain/openai';
import { classifierPrior, loadRouterPrior, type RouteMetadata } from '@tokenomics/core';
import { getRouteMetadata, RouterChatModel } from '@tokenomics/langchain-router';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';

const live = Boolean(process.env.OPENAI_API_KEY);
console.log(
  live
    ? 'tiers: openai gpt-4o-mini, gpt-4o'
    : 'tiers: [offline stand-in] ×2 (set OPENAI_API_KEY to call OpenAI)',
);

const toolCalls: string[] = [];
const getWeather = tool(
  async ({ city }) => {
    toolCalls.push(city);
    return `It is 18 °C and cloudy in ${city}.`;
  },
  {
    name: 'get_weather',
    description: 'The current weather in a city.',
    schema: z.object({ city: z.string().describe('The city, e.g. Paris') }),
  },
);

const prior = await loadRouterPrior(); // the shipped model; onnxruntime-node is used when installed
const router = new RouterChatModel({
  tiers: [
    { id: 'mini', model: tierModel('gpt-4o-mini'), modelId: 'openai:gpt-4o-mini' },
    { id: 'full', model: tierModel('gpt-4o'), modelId: 'openai:gpt-4o' },
  ],
  // At or above the threshold the cheap tier answers; below it, the strong one. A prompt unlike the
  // prior's training data (the weather question is one) gets prior 0: the strong tier, as without a router.
  policy: classifierPrior({ prior, threshold: 0.5 }),
});

const agent = createAgent({
  model: router,
  tools: [getWeather],
  systemPrompt: 'You are a travel assistant. Use the tools for live data.',
});
const result = await agent.invoke({
  messages: [{ role: 'user', content: 'What is the weather in Paris right now?' }],
});

const routes = result.messages
  .filter((message) => AIMessage.isInstance(message))
  .map((message) => getRouteMetadata(message))
  .filter((route): route is RouteMetadata => route !== undefined);
for (const { route } of routes)
  console.log(`model call → ${route.tier} (prior ${route.prior?.toFixed(3)}, ${route.reason})`);
const answer = result.messages.at(-1);
console.log(`answer: ${answer?.text}`);

check(toolCalls.includes('Paris'), 'the agent called the tool through the router');
check(routes.length === 2, `both model calls of the loop were routed (${routes.length})`);
check(
  routes.every(({ route }) => typeof route.prior === 'number'),
  'each route carries the classifier prior',
);
check(/18 °C/.test(answer?.text ?? ''), "the final answer uses the tool's result");
await prior.close();

function tierModel(name: string): BaseChatModel {
  if (live) return new ChatOpenAI({ model: name, temperature: 0 });
  const model = fakeModel();
  for (let call = 0; call < 10; call++) model.respond((messages) => standInTurn(name, messages));
  return model;
}

/** The stand-in: asks for the weather, then answers from the tool's result. */
function standInTurn(name: string, messages: BaseMessage[]): AIMessage {
  const last = messages.at(-1);
  if (last && ToolMessage.isInstance(last))
    return new AIMessage(`[offline stand-in ${name}] ${String(last.content)}`);
  return new AIMessage({
    content: '',
    tool_calls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris' }, type: 'tool_call' }],
  });
}

function check(condition: boolean, claim: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${claim}`);
  if (!condition) process.exitCode = 1;
}
