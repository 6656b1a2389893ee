import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from './command-io';
import { runCli } from './run-cli';

function capture(): CommandIo & { out: (text: string) => void; text: () => { out: string; err: string } } {
  let out = '';
  let err = '';
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    text: () => ({ out, err }),
  };
}

describe('runCli', () => {
  it('prints the version of the installed package with --version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const io = capture();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.text().out.trim()).toBe(version);
  });

  it("answers a bad option with that command's usage and exit code 2", async () => {
    const io = capture();
    expect(await runCli(['bench', 'routing-latency', '--no-such-option'], io)).toBe(2);
    const { err } = io.text();
    expect(err).toContain('Unknown option --no-such-option');
    expect(err).toContain('Usage: tokenomics bench routing-latency');
    expect(err).not.toContain('Commands:');
  });

  it('answers an unknown command with the list of commands', async () => {
    const io = capture();
    expect(await runCli(['no-such-command'], io)).toBe(2);
    expect(io.text().err).toContain('Commands:');
  });
});
