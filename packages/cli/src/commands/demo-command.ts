import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSqliteCache, type Embedder, HashingEmbedder, UseLiteEmbedder } from '@tokenomics/core';
import { generateText } from 'ai';
import { formatOptions, parseArguments, UsageError } from '../args';
import { AnswerTopics } from '../demo/answer-topics';
import type { Framework } from '../demo/demo-types';
import { aiSdkPipeline, langChainPipeline, type TierChoice } from '../demo/pipeline/pipeline-clients';
import { formatPipelineRow, formatPipelineTotals, pipelineTotals } from '../demo/pipeline/pipeline-report';
import { offlineBaseline, offlineTiers, routerPolicy } from '../demo/pipeline/pipeline-setup';
import { type PipelineRequest, pipelineWorkload } from '../demo/pipeline/pipeline-workload';
import { loadRoutingSample, ROUTING_DATA } from '../demo/pipeline/routing-sample';
import { type BaselineCall, type PipelineRow, runPipelineDemo } from '../demo/pipeline/run-pipeline-demo';
import { demoWorkload } from '../demo/workload';
import { writeJsonFile } from '../output';
import { OFFLINE_LABEL } from '../stand-in';
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
    description: 'OpenAI model of the weak tier when OPENAI_API_KEY is set',
    default: 'gpt-4o-mini',
    valueName: 'name',
  },
  strongModel: {
    type: 'string',
    description: 'OpenAI model of the strong tier (and the baseline) when OPENAI_API_KEY is set',
    default: 'gpt-4o',
    valueName: 'name',
  },
  routingData: {
    type: 'string',
    description: 'RouteLLM GSM8K responses CSV (recorded answers of real models)',
    default: ROUTING_DATA,
    valueName: 'file',
  },
  routingQuestions: {
    type: 'string',
    description: 'How many recorded questions to route (a seeded sample)',
    default: '12',
    valueName: 'n',
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

Runs a mixed workload through the whole pipeline (cache → compression → router, one ledger
record and one trace per call) in LangChain (createTokenomicsStack from @tokenomics/langchain)
and in the AI SDK (createTokenomicsStack from @tokenomics/ai-sdk), on one SQLite cache file:
support questions (repeats, paraphrases, look-alikes, two tenants, follow-ups in other
conversations), questions over a long retrieved document (compression), and recorded GSM8K
questions for routing (../shared/datasets/routing/routellm: skipped, and said so, when missing).
Without OPENAI_API_KEY the tiers are offline stand-ins replaying the recorded answers of
Mixtral-8x7B (weak) and GPT-4 (strong), and every line says so. Prints each stage's decision per
request, then dollars, tokens and quality against always-strong, with the saving by stage.
Exits with code 1 if a request is served another question's answer or a protected span reaching
the model was damaged.

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
  const offline = settings.offline || !process.env.OPENAI_API_KEY;
  const label = offline ? OFFLINE_LABEL : `[openai ${settings.model} / ${settings.strongModel}]`;
  const questions = Number(settings.routingQuestions);
  if (!Number.isInteger(questions) || questions < 0)
    throw new UsageError(`--routing-questions must be a whole number, not "${settings.routingQuestions}"`);
  const sample = loadRoutingSample(settings.routingData!, questions);
  if ('missing' in sample) io.out(`${label} routing: SKIPPED: ${sample.missing}`);
  else io.out(`${label} routing: recorded answers from ${sample.source}`);
  const requests = pipelineWorkload(demoWorkload, 'missing' in sample ? [] : sample.questions);

  if (settings.fresh) {
    await rm(db, { force: true });
    await rm(answersFile, { force: true });
  }
  await mkdir(dirname(db), { recursive: true });
  const answers = await AnswerTopics.load(answersFile);
  const tiers = offline ? offlineTiers(demoWorkload, requests, answers) : realTiers(settings);
  io.out(
    offline
      ? `${label} OPENAI_API_KEY is not set: the tiers are OFFLINE STAND-INS replaying recorded answers (usage counted with tiktoken), priced at the RouteLLM paper's rates.`
      : `${label} Calling real models through @langchain/openai and @ai-sdk/openai; the baseline is a real call of the strong model per request.`,
  );
  io.out(
    `${label} cache: ${db}${settings.fresh ? ' (fresh)' : ''}, embedder ${embedder.id}, frameworks: ${frameworks.join(', ')}`,
  );
  const policy = await routerPolicy((note) => io.out(`${label} ${note}`));

  const engine = await createSqliteCache({
    path: db,
    embedder,
    onWarning: (warning) => io.err(`${label} cache warning: ${warning.message}`),
  });
  let rows: PipelineRow[];
  try {
    const clientOptions = { engine, tiers, policy, compressionRate: 0.4 };
    const clients = [];
    for (const framework of frameworks)
      clients.push(
        framework === 'langchain'
          ? await langChainPipeline(clientOptions)
          : await aiSdkPipeline(clientOptions),
      );
    rows = await runPipelineDemo({
      requests,
      clients,
      answers,
      ...(tiers.offline ? { standIn: tiers.books } : {}),
      baseline: tiers.offline ? offlineBaseline(tiers) : realBaseline(tiers),
      onRow: (row) => io.out(formatPipelineRow(row, label)),
    });
  } finally {
    await engine.close();
  }
  await answers.save(answersFile);
  return report(io, label, rows, frameworks, { offline, json: settings.json, db });
}

async function report(
  io: CommandIo,
  label: string,
  rows: readonly PipelineRow[],
  frameworks: readonly Framework[],
  context: { offline: boolean; json: string | undefined; db: string },
): Promise<number> {
  io.out('');
  for (const framework of frameworks)
    io.out(
      formatPipelineTotals(
        framework,
        pipelineTotals(rows.filter((row) => row.framework === framework)),
        label,
      ),
    );
  const totals = pipelineTotals(rows);
  io.out(formatPipelineTotals('all', totals, label));
  if (context.json)
    await writeJsonFile(context.json, { offline: context.offline, db: context.db, totals, rows });
  const wrong = rows.filter((row) => row.wrongHit);
  const damaged = rows.filter((row) => row.damaged.length > 0);
  if (wrong.length > 0 || damaged.length > 0) {
    const list = (failed: readonly PipelineRow[]) =>
      failed.map((row) => `${row.framework}/${row.request.id}`).join(', ');
    if (wrong.length > 0)
      io.out(
        `${label} FAIL: ${wrong.length} request(s) were served another question's answer: ${list(wrong)}`,
      );
    if (damaged.length > 0)
      io.out(
        `${label} FAIL: ${damaged.length} request(s) reached the model with a damaged protected span: ${list(damaged)}`,
      );
    return 1;
  }
  io.out(`${label} OK: no request was served another question's answer, and no protected span was damaged.`);
  return 0;
}

function realTiers(settings: { model?: string; strongModel?: string }): TierChoice {
  const weak = settings.model ?? 'gpt-4o-mini';
  const strong = settings.strongModel ?? 'gpt-4o';
  return {
    offline: false,
    weak: { name: weak, id: `openai:${weak}` },
    strong: { name: strong, id: `openai:${strong}` },
  };
}

/** With a real provider the baseline is a real call of the strong model on the uncompressed prompt. */
function realBaseline(tiers: TierChoice) {
  return async (request: PipelineRequest): Promise<BaselineCall> => {
    const { openai } = await import('@ai-sdk/openai');
    const result = await generateText({
      model: openai(tiers.strong.name),
      system: request.system,
      messages: request.turns.map((turn) => ({ role: turn.role, content: turn.text })),
      temperature: 0,
    });
    return {
      usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
      text: result.text,
    };
  };
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
