/**
 * Runs the route handler in `route.ts` the way a framework would — a `Request` in, a streamed
 * `Response` out — without starting a server: the same question twice, then for another tenant.
 *
 * Offline (no OPENAI_API_KEY) the model is a labelled stand-in; with the key it is gpt-4o-mini.
 */
import { cacheStats, live, POST } from './route.ts';

console.log(
  live ? 'model: openai gpt-4o-mini' : 'model: [offline stand-in] (set OPENAI_API_KEY to call OpenAI)',
);

async function ask(question: string, tenant: string): Promise<{ status: number; text: string }> {
  const request = new Request('http://localhost/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tenant': tenant },
    body: JSON.stringify({ question }),
  });
  const response = await POST(request);
  const text = await response.text(); // a browser would read it as it streams
  console.log(`${tenant.padEnd(7)} ${question.padEnd(28)} → ${response.status} ${text.slice(0, 60)}`);
  return { status: response.status, text };
}

const first = await ask('How do I reset my password?', 'acme');
const again = await ask('How do I reset my password?', 'acme');
await ask('How do I reset my password?', 'globex');
const bad = await POST(new Request('http://localhost/api/chat', { method: 'POST', body: '{}' }));
console.log(`cache: ${cacheStats.hits} hit(s), ${cacheStats.misses} miss(es); bad request → ${bad.status}`);

check(first.status === 200 && first.text.length > 0, 'the handler streams an answer');
check(
  cacheStats.hits === 1 && again.text === first.text,
  "the same tenant's repeated question streams from the cache",
);
check(cacheStats.misses === 2, 'another tenant never gets a cached answer: it goes to the model');
check(bad.status === 400, 'a request without a question is refused with 400');

function check(condition: boolean, claim: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${claim}`);
  if (!condition) process.exitCode = 1;
}
