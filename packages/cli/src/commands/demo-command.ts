import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSqliteCache, type Embedder, HashingEmbedder, UseLiteEmbedder } from '@tokenomics/core';
import { formatOptions, parseArguments, UsageError } from '../args';
import { AnswerTopics } from '../demo/answer-topics';
import { formatDemoHeader, formatDemoRow, formatDemoTotals } from '../demo/demo-report';
import type { Framework } from '../demo/demo-types';
import type { ModelChoice } from '../demo/model-choice';
import { runDemoWorkload } from '../demo/run-demo-workload';
import { demoWorkload, workloadAnswerTable } from '../demo/workload';
import { writeJsonFile } from '../output';
import { answerBook, OFFLINE_LABEL } from '../stand-in';
import type { CommandIo } from './command-io';

const options = {
  db: {
    type: 'string',
    description: 'The SQLite cache file',
    default: '.tokenomics/demo.sqlite',
    valueName: 'file',
  },
  fresh: {
    type: 'boolean',
    description: 'Delete the cache file first (otherwise answers from earlier runs are reused)',
  },
  model: {
    type: 'string',
    description: 'OpenAI model used when OPENAI_API_KEY is set',
    default: 'gpt-4o-mini',
    valueName: 'name',
  },
  framework: { type: 'string', description: 'langchain, ai-sdk or both', default: 'both', valueName: 'name' },
  embedder: {
    type: 'string',
    description: 'use-lite (offline USE-lite) or hashing (fast, weak)',
    default: 'use-lite',
    valueName: 'name',
  },
  offline: { type: 'boolean', description: 'Use the offline stand-in even when OPENAI_API_KEY is set' },
  json: { type: 'string', description: 'Also write every row and the totals as JSON', valueName: 'file' },
} as const;

export const demoHelp = `Usage: tokenomics demo [options]

Runs a support-assistant workload (${demoWorkload.requests.length} requests: repeats, paraphrases, look-alikes that
must miss, follow-ups in different conversations, two tenants) through the cache in LangChain
(TokenomicsCache on a chat model) and the AI SDK (cacheMiddleware with generateText), on one
SQLite cache file with the offline USE-lite embedder. Without OPENAI_API_KEY the model is an
offline stand-in (fixed answers, tiktoken-counted usage) and every line says so.
Exits with code 1 if any request is served another question's answer.

Options:
${formatOptions(options)}`;

export async function demoCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArguments(argv, options);
  if (parsed.help) {
    io.out(demoHelp);
    return 0;
  }
  if (parsed.positionals.length > 0)
    throw new UsageError(`Unexpected arguments: ${parsed.positionals.join(' ')}`);
  const settings = parsed.options;
  const frameworks = frameworksOf(settings.framework ?? 'both');
  const embedder = embedderOf(settings.embedder ?? 'use-lite');
  const db = settings.db!;
  const answersFile = `${db}.answers.json`;
  const modelName = settings.model!;
  const offline = settings.offline || !process.env.OPENAI_API_KEY;
  const workload = demoWorkload;
  const model: ModelChoice = offline
    ? {
        offline: true,
        pricedAs: `openai:${modelName}`,
        book: answerBook(workloadAnswerTable(workload)),
      }
    : { offline: false, modelName, pricedAs: `openai:${modelName}` };
  const label = offline ? OFFLINE_LABEL : `[openai ${modelName}]`;

  if (settings.fresh) {
    await rm(db, { force: true });
    await rm(answersFile, { force: true });
  }
  await mkdir(dirname(db), { recursive: true });
  const answers = await AnswerTopics.load(answersFile);
  if (offline) {
    // The stand-in's answers are fixed, so every one of them can be told apart from the start.
    for (const request of workload.requests)
      answers.remember(workload.answers[request.topic]!, request.topic);
  }

  io.out(
    offline
      ? `${label} OPENAI_API_KEY is not set: answers come from an OFFLINE MODEL STAND-IN (fixed answers, usage counted with tiktoken), priced as openai:${modelName}.`
      : `${label} Calling the real model through @langchain/openai and @ai-sdk/openai.`,
  );
  io.out(
    `${label} cache: ${db}${settings.fresh ? ' (fresh)' : ''}, embedder ${embedder.id}, frameworks: ${frameworks.join(', ')}`,
  );
  io.out(formatDemoHeader(label));

  const engine = await createSqliteCache({
    path: db,
    embedder,
    onWarning: (warning) => io.err(`${label} cache warning: ${warning.message}`),
  });
  let result: Awaited<ReturnType<typeof runDemoWorkload>>;
  try {
    result = await runDemoWorkload({
      workload,
      engine,
      model,
      frameworks,
      answers,
      onRow: (row) => io.out(formatDemoRow(row, label)),
    });
  } finally {
    await engine.close();
  }
  await answers.save(answersFile);

  io.out('');
  for (const framework of frameworks)
    io.out(formatDemoTotals(framework, result.byFramework[framework]!, label));
  io.out(formatDemoTotals('all', result.totals, label));
  const wrong = result.rows.filter((row) => row.wrongHit);
  if (settings.json) await writeJsonFile(settings.json, { offline, model: model.pricedAs, db, ...result });
  if (wrong.length > 0) {
    io.out(
      `${label} FAIL: ${wrong.length} request(s) were served another question's answer: ${wrong.map((row) => `${row.framework}/${row.request.id}`).join(', ')}`,
    );
    return 1;
  }
  io.out(`${label} OK: no request was served another question's answer.`);
  return 0;
}

function frameworksOf(name: string): Framework[] {
  if (name === 'both') return ['langchain', 'ai-sdk'];
  if (name === 'langchain' || name === 'ai-sdk') return [name];
  throw new UsageError(`Unknown framework "${name}"; use langchain, ai-sdk or both`);
}

function embedderOf(name: string): Embedder {
  if (name === 'use-lite') return new UseLiteEmbedder();
  if (name === 'hashing') return new HashingEmbedder();
  throw new UsageError(`Unknown embedder "${name}"; use use-lite or hashing`);
}
