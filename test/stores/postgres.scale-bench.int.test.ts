import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresCache } from '@tokenomics/store-postgres';
import { describe, expect, it } from 'vitest';
import { writeQuestionFiles } from '../../packages/cli/src/bench/stores/qqp-test-files';
import type { PostgresScaleResult } from '../../packages/cli/src/bench/stores/semantic-scale-postgres';
import { runCli } from '../../packages/cli/src/commands/run-cli';
import { pgliteServerForSuite } from './server-processes';

// `bench stores --vectors qqp --postgres`, end to end on PGlite (a dev dependency, started here).
describe('tokenomics bench stores --vectors qqp --postgres (PGlite over the wire protocol)', () => {
  const pglite = pgliteServerForSuite();

  it('loads the vectors through the store, builds the HNSW index, and reports recall@10 per scope and server RSS', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-pgscale-test-'));
    const { pairsFile, embeddingFile } = await writeQuestionFiles(directory, 300);
    const jsonFile = join(directory, 'scale.json');
    const out: string[] = [];
    const argv = ['bench', 'stores', '--vectors', 'qqp', '--postgres', pglite().url, '--entries', '1200'];
    const options = ['--queries', '10', '--passes', '1', '--partitions', '2', '--indexed-writes', '100'];
    const code = await runCli(
      [
        ...argv,
        ...options,
        ...['--server-pid', String(pglite().pid), '--pairs', pairsFile, '--embeddings', embeddingFile],
        ...['--json', jsonFile],
      ],
      { out: (text) => out.push(text), err: () => {} },
    );
    expect(code).toBe(0);
    const { result } = JSON.parse(await readFile(jsonFile, 'utf8')) as { result: PostgresScaleResult };
    // 600 questions: 10 held out as queries, 590 stored as themselves, the rest perturbed copies.
    expect(result).toMatchObject({ entries: 1200, bases: 590, queries: 10, partitions: 2, searches: 10 });
    expect(result.indexedWrites.vectors).toBe(100);
    expect(result.load.vectors).toBe(1100);
    expect(result.expected).toBe(100);
    expect(result.recallAt10).toBeGreaterThanOrEqual(0.9);
    expect(result.plan).toMatch(/^Limit/);
    expect(result.serverRssMb).toBeGreaterThan(0);
    expect(out.join('\n')).toContain('recall@10');
    // The run's own tables are gone afterwards.
    const postgres = await openPostgresCache({
      connectionString: pglite().url,
      maxConnections: 1,
      migrate: false,
    });
    try {
      const { rows } = await postgres.pool.query(
        `SELECT to_regclass('tokenomics_bench_scale_vectors_512') AS name`,
      );
      expect(rows[0].name).toBeNull();
    } finally {
      await postgres.close();
    }
  }, 300_000);
});
