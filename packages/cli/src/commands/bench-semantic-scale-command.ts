import { parseArguments, UsageError } from '../args';
import { runSemanticScale } from '../bench/semantic-scale';
import type { CommandIo } from './command-io';

const options = {
  entries: { type: 'number', description: 'Vectors in the index', min: 1 },
  queries: { type: 'number', description: 'Timed lookups', default: 1000, min: 1 },
  dimensions: { type: 'number', description: 'Vector length', default: 512, min: 2 },
  expansionAdd: {
    type: 'number',
    description: 'HNSW efConstruction (default: the core index default)',
    min: 1,
  },
} as const;

/** Internal: one semantic-scale measurement, printed as JSON on stdout for the parent process. */
export async function benchSemanticScaleCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArguments(argv, options);
  const { entries, queries, dimensions, expansionAdd } = parsed.options;
  if (entries === undefined) throw new UsageError('--entries is required');
  const hnsw = expansionAdd === undefined ? undefined : { expansionAdd };
  io.out(JSON.stringify(await runSemanticScale({ entries, queries, dimensions, hnsw })));
  return 0;
}
