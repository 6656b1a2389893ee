import { describe, it } from 'vitest';

/**
 * Suites that need a server read its address from an environment variable (`.ci/run` starts
 * the servers and sets them). Without it the suite is skipped with a message saying so, unless
 * TOKENOMICS_REQUIRE_SERVERS=1 (set by `.ci/run`), which turns the missing server into a failure.
 * Only loopback addresses are accepted: these tests write and delete data.
 */
export function describeWithServer(
  name: string,
  variable: string,
  what: string,
  body: (url: string) => void,
): void {
  const url = process.env[variable];
  if (url && isLoopback(url)) {
    describe(name, () => body(url));
    return;
  }
  const reason = url
    ? `${variable}=${url} is not on 127.0.0.1; these tests only target loopback servers`
    : `${variable} is not set (${what}); .ci/run starts one and sets it`;
  skipOrFail(name, reason, () => body(''));
}

/** Like `describeWithServer`, for tests that start (and kill) their own server from a program on PATH. */
export function describeWithProgram(name: string, available: boolean, what: string, body: () => void): void {
  if (available) {
    describe(name, body);
    return;
  }
  skipOrFail(name, `${what} is not installed; .ci/run installs it`, body);
}

function skipOrFail(name: string, reason: string, body: () => void): void {
  if (process.env.TOKENOMICS_REQUIRE_SERVERS === '1') {
    describe(name, () => {
      it('has its server', () => {
        throw new Error(`TOKENOMICS_REQUIRE_SERVERS=1 but ${reason}`);
      });
    });
    return;
  }
  console.warn(`[tokenomics tests] skipping "${name}": ${reason}`);
  describe.skip(name, body);
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}
