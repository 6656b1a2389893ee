import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Embedder, UseLiteEmbedder } from '@tokenomics/core';
import { formatOptions, parseArguments, UsageError } from '../args';
import type { CommandIo } from '../commands/command-io';
import { createPlaygroundPipeline } from './playground-pipeline';
import { type PlaygroundServer, startPlaygroundServer } from './playground-server';

const options = {
  port: {
    type: 'number',
    description: 'Port on 127.0.0.1 (0 picks a free one)',
    default: 4317,
    min: 0,
    max: 65535,
  },
  exactOnly: {
    type: 'boolean',
    description: 'Cache exact prompts only (skips loading the embedding model for reworded prompts)',
  },
  ledger: {
    type: 'string',
    description: 'Append each prompt’s ledger record here (JSON lines), for `tokenomics report`',
    default: '.tokenomics/playground-ledger.jsonl',
    valueName: 'file',
  },
} as const;

export const playgroundHelp = `Usage: tokenomics playground [options]

Serves a local page on 127.0.0.1: send a prompt and see what each stage decided and why (cache,
compression, the cascade router), the model that answered, its cost against the baseline and
the running savings. Offline stand-in answers unless OPENAI_API_KEY is set; the page says which.

Options:
${formatOptions(options)}`;

export type PlaygroundSettings = { port: number; exactOnly: boolean; ledgerFile?: string; io: CommandIo };

/** Starts the playground and returns its server (the command keeps it up until interrupted). */
export async function startPlayground(settings: PlaygroundSettings): Promise<PlaygroundServer> {
  const mode = process.env.OPENAI_API_KEY ? 'openai' : 'offline';
  const embedder = settings.exactOnly ? undefined : await loadEmbedder(settings.io);
  const ledgerFile = settings.ledgerFile ? resolve(settings.ledgerFile) : undefined;
  if (ledgerFile) await mkdir(dirname(ledgerFile), { recursive: true });
  const pipeline = createPlaygroundPipeline({
    mode,
    embedder,
    onRecord: ledgerFile
      ? (record) =>
          appendFile(ledgerFile, `${JSON.stringify(record)}\n`).catch((error: unknown) =>
            settings.io.err(`tokenomics playground: cannot append to ${ledgerFile}: ${String(error)}`),
          )
      : undefined,
  });
  return startPlaygroundServer(pipeline, { port: settings.port, ledgerFile: settings.ledgerFile });
}

export async function playgroundCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArguments(argv, options);
  if (parsed.help) {
    io.out(playgroundHelp);
    return 0;
  }
  if (parsed.positionals.length > 0)
    throw new UsageError(`Unexpected arguments: ${parsed.positionals.join(' ')}`);
  const server = await startPlayground({
    port: parsed.options.port ?? 4317,
    exactOnly: parsed.options.exactOnly,
    ledgerFile: parsed.options.ledger,
    io,
  });
  io.out(
    `tokenomics playground on ${server.url} (${process.env.OPENAI_API_KEY ? 'OpenAI' : 'offline stand-in'}); Ctrl-C stops it`,
  );
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

async function loadEmbedder(io: CommandIo): Promise<Embedder | undefined> {
  const embedder = new UseLiteEmbedder();
  io.err('loading the offline embedding model for reworded prompts (--exact-only skips it)…');
  try {
    await embedder.warmUp();
    return embedder;
  } catch (error) {
    io.err(
      `tokenomics playground: no embedding model (${String(error)}); the cache matches exact prompts only`,
    );
    return undefined;
  }
}
