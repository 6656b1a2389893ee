import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP server that speaks just enough of OpenAI's API (chat completions and responses, plain
 * and streamed, text only) for README snippets to run as written with no network: the check
 * points `OPENAI_BASE_URL` at it. Every answer starts with `[offline stand-in]`, and the server
 * counts the calls it served, so the check can tell a cache hit from a model call.
 */
export type StandInOpenAi = {
  url: string;
  /** Model calls served since the server started (or since the last `resetCalls`). */
  calls(): number;
  resetCalls(): void;
  close(): Promise<void>;
};

type ChatBody = { model?: string; stream?: boolean; messages?: Array<{ role: string; content: unknown }> };
type ResponsesBody = { model?: string; stream?: boolean; input?: unknown };

export async function startStandInOpenAi(): Promise<StandInOpenAi> {
  let calls = 0;
  const server = createServer((request, response) => {
    readJson(request)
      .then((body) => {
        calls++;
        if (request.url?.endsWith('/chat/completions')) return answerChat(body as ChatBody, response);
        if (request.url?.endsWith('/responses')) return answerResponses(body as ResponsesBody, response);
        calls--;
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: { message: `stand-in: no route ${request.url}`, type: 'not_found' } }),
        );
      })
      .catch((error: unknown) => {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: String(error), type: 'invalid_request_error' } }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls: () => calls,
    resetCalls: () => {
      calls = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The stand-in's answer: the question echoed, so a wrong cached answer is visible. */
export function standInAnswer(question: string): string {
  return `[offline stand-in] An answer to: ${question.trim().slice(0, 200)}`;
}

function answerChat(body: ChatBody, response: ServerResponse): void {
  const question = lastUserText(body.messages ?? []);
  const text = standInAnswer(question);
  const usage = usageOf(JSON.stringify(body.messages ?? []), text);
  const base = {
    id: 'chatcmpl-stand-in',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'stand-in',
  };
  const chatUsage = {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
  };
  if (!body.stream) {
    sendJson(response, {
      ...base,
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null },
      ],
      usage: chatUsage,
    });
    return;
  }
  const chunk = (choices: unknown[], extra: object = {}) => ({
    ...base,
    object: 'chat.completion.chunk',
    choices,
    ...extra,
  });
  sendEvents(response, [
    ...words(text).map((word, index) =>
      chunk([
        {
          index: 0,
          delta: index === 0 ? { role: 'assistant', content: word } : { content: word },
          finish_reason: null,
        },
      ]),
    ),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    chunk([], { usage: chatUsage }),
  ]);
}

function answerResponses(body: ResponsesBody, response: ServerResponse): void {
  const question = typeof body.input === 'string' ? body.input : lastUserText(asMessages(body.input));
  const text = standInAnswer(question);
  const usage = usageOf(JSON.stringify(body.input ?? ''), text);
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? 'stand-in';
  const message = {
    type: 'message',
    role: 'assistant',
    id: 'msg_stand_in',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
  const responseUsage = {
    input_tokens: usage.input,
    output_tokens: usage.output,
    total_tokens: usage.input + usage.output,
  };
  if (!body.stream) {
    sendJson(response, {
      id: 'resp_stand_in',
      created_at: created,
      model,
      output: [message],
      usage: responseUsage,
      incomplete_details: null,
    });
    return;
  }
  sendEvents(response, [
    { type: 'response.created', response: { id: 'resp_stand_in', created_at: created, model } },
    {
      type: 'response.output_item.added',
      output_index: 0,
      item: { ...message, status: 'in_progress', content: [] },
    },
    ...words(text).map((delta) => ({
      type: 'response.output_text.delta',
      item_id: message.id,
      output_index: 0,
      delta,
    })),
    { type: 'response.output_item.done', output_index: 0, item: message },
    { type: 'response.completed', response: { usage: responseUsage, incomplete_details: null } },
  ]);
}

function asMessages(input: unknown): Array<{ role: string; content: unknown }> {
  return Array.isArray(input) ? (input as Array<{ role: string; content: unknown }>) : [];
}

function lastUserText(messages: Array<{ role: string; content: unknown }>): string {
  const last = messages.filter((message) => message.role === 'user').at(-1);
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  if (!Array.isArray(last.content)) return '';
  return last.content
    .map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : ''))
    .join('');
}

function usageOf(prompt: string, answer: string): { input: number; output: number } {
  return { input: Math.ceil(prompt.length / 4), output: Math.ceil(answer.length / 4) };
}

function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [text];
}

function sendJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendEvents(response: ServerResponse, events: unknown[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const event of events) response.write(`data: ${JSON.stringify(event)}\n\n`);
  response.end('data: [DONE]\n\n');
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}
