import { isCliBin, runCliForJson } from './cli-child';
import { runSemanticScale, type SemanticScaleOptions, type SemanticScaleResult } from './semantic-scale';

/**
 * Runs one index size in a child process (`tokenomics bench semantic-scale`), so the RSS it
 * reports belongs to that index alone. Falls back to this process when not started from the
 * CLI's bin (e.g. inside a test runner).
 */
export async function runSemanticScaleIsolated(options: SemanticScaleOptions): Promise<SemanticScaleResult> {
  if (!isCliBin(process.argv[1])) return runSemanticScale(options);
  const args = [
    'bench',
    'semantic-scale',
    '--entries',
    String(options.entries),
    ...(options.queries === undefined ? [] : ['--queries', String(options.queries)]),
    ...(options.hnsw?.expansionAdd === undefined
      ? []
      : ['--expansion-add', String(options.hnsw.expansionAdd)]),
  ];
  return runCliForJson<SemanticScaleResult>(args, `semantic-scale for ${options.entries} entries`);
}
