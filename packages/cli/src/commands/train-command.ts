import { type Embedder, HashingEmbedder, UseLiteEmbedder } from '@tokenomics/core';
import { formatOptions, parseArguments, UsageError } from '../args';
import { readTraffic } from '../train/traffic-data';
import { type TrafficModelReport, trainFromTraffic } from '../train/train-from-traffic';
import type { CommandIo } from './command-io';

const options = {
  ledger: {
    type: 'string',
    description: 'The ledger JSONL the deployment wrote (createJsonlLedgerSink)',
    valueName: 'file',
  },
  traces: {
    type: 'string',
    description: 'Decision traces JSONL (createJsonlTraceSink); optional',
    valueName: 'file',
  },
  feedback: {
    type: 'string',
    description: 'Feedback JSONL: graded answers and cache hits (docs/training.md)',
    valueName: 'file',
  },
  out: {
    type: 'string',
    description: 'Folder for the new models',
    default: '.tokenomics/models',
    valueName: 'folder',
  },
  cheapModel: {
    type: 'string',
    description: 'Cheap tier the prior predicts for (default: most often routed to)',
    valueName: 'model',
  },
  strongModel: {
    type: 'string',
    description: 'Large model for the output-length flag (default: the baseline model)',
    valueName: 'model',
  },
  embedder: {
    type: 'string',
    description: "use-lite (the shipped models' embedder) or hashing",
    default: 'use-lite',
    valueName: 'name',
  },
  minExamples: {
    type: 'number',
    description: 'Fewest graded examples (both outcomes) a model is trained from',
    default: 20,
    min: 2,
  },
  seed: { type: 'number', description: 'Seed for training and folds', default: 7 },
} as const;

export const trainHelp = `Usage: tokenomics train --ledger FILE --feedback FILE [--traces FILE] [--out FOLDER]

Retrains the router prior, the answer scorer, the output-length model and the cache verifier from a
deployment's own graded traffic, with the trainers of the shipped models, and writes each with a
model card and a leave-out report (one group held out at a time, or five folds split by prompt) to
--out/<model>/. Point the loaders at them: loadRouterPrior({ folder }), loadAnswerScorer({ folder }),
loadOutputLengthPredictor({ folder }), loadPairVerifier({ folder }).

Options:
${formatOptions(options)}`;

/** `tokenomics train`: models from a deployment's ledger, traces and feedback. */
export async function trainCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { options: parsed, help } = parseArguments(argv, options);
  if (help) {
    io.out(trainHelp);
    return 0;
  }
  if (!parsed.ledger || !parsed.feedback) throw new UsageError('train needs --ledger and --feedback');
  const data = readTraffic({
    ledger: parsed.ledger,
    feedback: parsed.feedback,
    ...(parsed.traces ? { traces: parsed.traces } : {}),
  });
  io.err(
    `read ${data.ledger.length} ledger records, ${data.answers.length} graded answers, ${data.cachePairs.length} graded cache hits` +
      (data.unmatched > 0 ? ` (${data.unmatched} feedback lines without a ledger record)` : ''),
  );
  const reports = await trainFromTraffic(data, {
    out: parsed.out!,
    seed: parsed.seed!,
    embedder: embedderNamed(parsed.embedder!),
    ...(parsed.cheapModel ? { cheapModel: parsed.cheapModel } : {}),
    ...(parsed.strongModel ? { strongModel: parsed.strongModel } : {}),
    minExamples: parsed.minExamples!,
    command: `tokenomics train ${argv.join(' ')}`,
    sources: [parsed.ledger, parsed.feedback, ...(parsed.traces ? [parsed.traces] : [])],
  });
  io.out(reports.map(formatReport).join('\n'));
  return reports.some((report) => report.trained) ? 0 : 1;
}

function embedderNamed(name: string): Embedder {
  if (name === 'use-lite') return new UseLiteEmbedder();
  if (name === 'hashing') return new HashingEmbedder();
  throw new UsageError(`--embedder must be use-lite or hashing, not "${name}"`);
}

function formatReport(report: TrafficModelReport): string {
  if (!report.trained) return `${report.name}: not trained — ${report.note}`;
  const metrics = Object.entries(report.heldOut?.metrics ?? {})
    .map(([name, value]) => `${name} ${value ?? '—'}`)
    .join(', ');
  return `${report.name}: ${report.examples} examples → ${report.folder} (held out, ${report.heldOut?.description}: ${metrics})`;
}
