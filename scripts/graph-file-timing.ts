/**
 * How long the event loop is held while a saved HNSW graph is taken in: usearch `load()` (a full
 * copy in memory, what the SQLite vector index did until December 2026) against `view()`
 * (memory-mapped, what it does now). Each is one synchronous native call.
 *
 *   npx tsx scripts/graph-file-timing.ts --file <graph.usearch> [--dimensions 512] [--dtype f16] [--rounds 3]
 *
 * A graph file to time: any `<cache file>.vectors/*.usearch`, e.g. the one
 * `pnpm tokenomics bench stores --vectors qqp --directory <dir>` leaves in `<dir>/scale.sqlite.vectors/`.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { argument } from './script-arguments';

type Index = { load(path: string): void; view(path: string): void; size(): number };
type Usearch = { Index: new (config: Record<string, unknown>) => Index };

const file = argument('file', '');
if (!file) throw new Error('--file <graph.usearch> is required');
const dimensions = Number(argument('dimensions', '512'));
const dtype = argument('dtype', 'f16');
const rounds = Number(argument('rounds', '3'));
// usearch is a dependency of @tokenomics/core, not of the workspace root.
const usearch = createRequire(new URL('../packages/core/package.json', import.meta.url))(
  'usearch',
) as Usearch;

function timed(how: 'load' | 'view'): { ms: number; size: number } {
  const index = new usearch.Index({
    dimensions,
    metric: 'cos',
    quantization: dtype,
    connectivity: 16,
    expansion_add: 128,
    expansion_search: 64,
    multi: false,
  });
  const started = performance.now();
  index[how](file);
  return { ms: performance.now() - started, size: index.size() };
}

console.log(`${file}: ${(statSync(file).size / 1e6).toFixed(0)} MB`);
for (let round = 1; round <= rounds; round++) {
  const loaded = timed('load');
  const viewed = timed('view');
  console.log(
    `round ${round}: load ${loaded.ms.toFixed(0)} ms, view ${viewed.ms.toFixed(0)} ms (${viewed.size.toLocaleString('en-US')} vectors)`,
  );
}
