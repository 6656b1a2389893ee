import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { playgroundCharts } from './playground-charts';
import { playgroundPage } from './playground-page';
import type { PlaygroundPipeline } from './playground-pipeline';

const MAX_BODY_BYTES = 256 * 1024;

export type PlaygroundServer = { url: string; server: Server; close(): Promise<void> };

/**
 * Serves the playground on 127.0.0.1 only: the page, `POST /api/prompt` ({ prompt }) answered
 * through the pipeline, and `GET /api/state`. Prompts run one at a time, in the order they came.
 */
export async function startPlaygroundServer(
  pipeline: PlaygroundPipeline,
  options: { port?: number; ledgerFile?: string } = {},
): Promise<PlaygroundServer> {
  let queue: Promise<unknown> = Promise.resolve();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => sendJson(response, 500, { error: describe(error) }));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method === 'GET' && path === '/') return sendPage(response);
    if (request.method === 'GET' && path === '/api/state') return sendJson(response, 200, state());
    if (request.method === 'POST' && path === '/api/prompt') {
      const prompt = await readPrompt(request);
      if (typeof prompt !== 'string') return sendJson(response, prompt.status, { error: prompt.error });
      // One prompt at a time: the cache and the running totals see them in arrival order.
      const turn = queue.then(() => pipeline.run(prompt));
      queue = turn.catch(() => {});
      return sendJson(response, 200, { turn: await turn, ...state() });
    }
    sendJson(response, 404, { error: `no route for ${request.method} ${path}` });
  }

  function state() {
    const totals = pipeline.totals();
    return { mode: pipeline.mode, ledgerFile: options.ledgerFile, totals, charts: playgroundCharts(totals) };
  }

  async function readPrompt(request: IncomingMessage): Promise<string | { status: number; error: string }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return { status: 413, error: `a prompt is at most ${MAX_BODY_BYTES} bytes` };
      chunks.push(chunk as Buffer);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return { status: 400, error: 'the body must be JSON: {"prompt": "..."}' };
    }
    const prompt = (body as { prompt?: unknown } | null)?.prompt;
    if (typeof prompt !== 'string' || prompt.trim().length === 0)
      return { status: 400, error: 'the prompt must be a non-empty string' };
    return prompt;
  }

  function sendPage(response: ServerResponse): void {
    const nonce = randomBytes(16).toString('base64');
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'`,
    });
    response.end(playgroundPage({ nonce, mode: pipeline.mode, ledgerFile: options.ledgerFile }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(value));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
