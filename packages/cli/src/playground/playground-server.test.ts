import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaygroundPipeline } from './playground-pipeline';
import { type PlaygroundServer, startPlaygroundServer } from './playground-server';

describe('the playground server', () => {
  let server: PlaygroundServer;
  beforeAll(async () => {
    server = await startPlaygroundServer(createPlaygroundPipeline({ mode: 'offline' }), { port: 0 });
  });
  afterAll(() => server.close());

  const post = (body: string) => fetch(new URL('/api/prompt', server.url), { method: 'POST', body });

  it('listens on 127.0.0.1 only and serves the page with a script nonce', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const response = await fetch(server.url);
    const policy = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(await response.text()).toContain(`<script nonce="${nonce}">`);
  });

  it('answers prompts one at a time, in the order they came', async () => {
    const prompts = ['What is a semantic cache?', 'What is a semantic cache?', 'What is a router?'];
    const responses = await Promise.all(prompts.map((prompt) => post(JSON.stringify({ prompt }))));
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as Array<{
      turn: { cache: string };
      totals: { turns: number };
      charts: { running: string };
    }>;
    expect(bodies.map((body) => body.turn.cache)).toEqual(['miss', 'exact hit', 'miss']);
    expect(bodies.map((body) => body.totals.turns)).toEqual([1, 2, 3]);
    expect(bodies[2]!.charts.running).toContain('data-chart="playground-running"');
  });

  it('rejects bad input with a status and a message', async () => {
    expect((await post('not json')).status).toBe(400);
    expect((await post(JSON.stringify({ prompt: 'x'.repeat(300_000) }))).status).toBe(413);
    const missing = await fetch(new URL('/nowhere', server.url));
    expect(missing.status).toBe(404);
  });
});
