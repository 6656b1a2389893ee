import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const shas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA1 (EVALSHA), sending the source only when the server does not
 * know it yet (a fresh or restarted server answers NOSCRIPT).
 */
export async function runScript(
  client: Redis,
  script: string,
  args: Array<string | number>,
): Promise<unknown> {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  try {
    return await client.evalsha(sha, 0, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
    return client.eval(script, 0, ...args);
  }
}
