/**
 * Structured output and tool calls through the AI SDK router model. The response format and the
 * tools reach every tier; the cascade checks the cheap tier's JSON against the schema (and tool
 * arguments against theirs) and escalates an answer that does not fit, so `Output.object` gets an
 * object that parses. Tool loops run as usual: each model step is routed on its own.
 *
 * Offline (no OPENAI_API_KEY) both tiers are labelled stand-ins — the cheap one leaves a required
 * field out of its JSON — priced as gpt-4o-mini and gpt-4o; with the key they are the real models.
 */
import { openai } from '@ai-sdk/openai';
import { createRouterModel, getRouteMetadata } from '@tokenomics/ai-sdk';
import { cascade, heuristicScorers, structuredOutputScorer } from '@tokenomics/core';
import { generateText, type LanguageModel, Output, stepCountIs, tool } from 'ai';
import * as aiTest from 'ai/test';
import { z } from 'zod';

/**
 * The installed release's mock model, so this example runs under `ai` 7 (`MockLanguageModelV4`) and
 * `ai` 6 (`MockLanguageModelV3`); the calls and answers it handles are spelled the same in both.
 */
const MockLanguageModel = ((aiTest as Record<string, unknown>).MockLanguageModelV4 ??
  (aiTest as Record<string, unknown>).MockLanguageModelV3) as new (
  settings: StandInSettings,
) => Exclude<LanguageModel, string>;
type StandInCall = {
  prompt: Array<{ role: string; content: Array<{ type: string; text?: string; output?: unknown }> }>;
  responseFormat?: { type: string };
  tools?: unknown[];
};
type StandInSettings = {
  provider: string;
  modelId: string;
  doGenerate?: (call: StandInCall) => Promise<unknown>;
  doStream?: (call: StandInCall) => Promise<unknown>;
};

const live = Boolean(process.env.OPENAI_API_KEY);
console.log(
  live
    ? 'tiers: openai gpt-4o-mini, gpt-4o'
    : 'tiers: [offline stand-in] ×2 (set OPENAI_API_KEY to call OpenAI)',
);

const router = createRouterModel({
  tiers: [
    { id: 'mini', model: tierModel('gpt-4o-mini'), modelId: 'openai:gpt-4o-mini' },
    { id: 'full', model: tierModel('gpt-4o'), modelId: 'openai:gpt-4o' },
  ],
  policy: cascade({ scorers: [...heuristicScorers(), structuredOutputScorer()] }),
});

// 1. Structured output: an object that matches the schema, whichever tier produced it.
const ticket = z.object({
  product: z.string(),
  severity: z.enum(['low', 'medium', 'high']),
  summary: z.string(),
});
const extraction = await generateText({
  model: router,
  output: Output.object({ schema: ticket }),
  prompt: 'Ticket: "Our production database on Acme Cloud has been unreachable for 20 minutes." Extract it.',
});
const extractionRoute = getRouteMetadata(extraction.providerMetadata)?.route;
console.log(
  `structured → ${extractionRoute?.tier} (escalated: ${extractionRoute?.escalated})`,
  extraction.output,
);

// 2. Tools: the model asks for the tool, the SDK runs it, the next step answers from its result.
const lookups: string[] = [];
const withTools = await generateText({
  model: router,
  tools: {
    get_status: tool({
      description: 'The current status of an Acme Cloud region.',
      inputSchema: z.object({ region: z.string() }),
      execute: async ({ region }) => {
        lookups.push(region);
        return { region, status: 'degraded', since: '09:12 UTC' };
      },
    }),
  },
  stopWhen: stepCountIs(3),
  prompt: 'Is the Frankfurt region healthy right now?',
});
for (const step of withTools.steps) {
  const route = getRouteMetadata(step.providerMetadata)?.route;
  console.log(`tool step → ${route?.tier}: ${step.toolCalls.length ? 'tool call' : step.text.slice(0, 70)}`);
}

check(ticket.safeParse(extraction.output).success, 'the structured output matches the schema');
if (!live) check(extractionRoute?.escalated === true, 'the cheap tier’s incomplete JSON was escalated');
check(lookups.length === 1, 'the tool ran once, called through the router');
check(
  withTools.steps.every((step) => getRouteMetadata(step.providerMetadata) !== undefined),
  'every step was routed',
);
check(/degraded/.test(withTools.text), "the final answer uses the tool's result");

function tierModel(name: string): Exclude<LanguageModel, string> {
  if (live) return openai(name);
  const usage = {
    inputTokens: { total: 120, noCache: 120, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 30, text: 30, reasoning: 0 },
  };
  return new MockLanguageModel({
    provider: 'offline-stand-in',
    modelId: name,
    doGenerate: async ({ prompt, responseFormat, tools }) => {
      const stop = { unified: 'stop' as const, raw: 'stop' };
      if (responseFormat?.type === 'json') {
        // The cheap stand-in forgets `severity`; the strong one fills every field.
        const object = {
          product: 'Acme Cloud database',
          summary: 'Production database unreachable for 20 minutes',
        };
        const text = JSON.stringify(name === 'gpt-4o' ? { ...object, severity: 'high' } : object);
        return { content: [{ type: 'text', text }], finishReason: stop, usage, warnings: [] };
      }
      const toolResult = prompt.flatMap((message) => (message.role === 'tool' ? message.content : [])).at(-1);
      if (tools?.length && !toolResult) {
        const input = JSON.stringify({ region: 'Frankfurt' });
        const call = { type: 'tool-call' as const, toolCallId: 'call_1', toolName: 'get_status', input };
        return {
          content: [call],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage,
          warnings: [],
        };
      }
      const text = `[offline stand-in ${name}] ${JSON.stringify(toolResult?.type === 'tool-result' ? toolResult.output : '')}`;
      return { content: [{ type: 'text', text }], finishReason: stop, usage, warnings: [] };
    },
  });
}

function check(condition: boolean, claim: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${claim}`);
  if (!condition) process.exitCode = 1;
}
