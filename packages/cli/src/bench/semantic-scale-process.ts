import { spawn } from 'node:child_process';
import { runSemanticScale, type SemanticScaleOptions, type SemanticScaleResult } from './semantic-scale';

/**
 * Runs one index size in a child process (`tokenomics bench semantic-scale`), so the RSS it
 * reports belongs to that index alone. Falls back to this process when not started from the
 * CLI's bin (e.g. inside a test runner).
 */
export async function runSemanticScaleIsolated(options: SemanticScaleOptions): Promise<SemanticScaleResult> {
  const bin = process.argv[1];
  if (!bin || !/bin\.(c|m)?js$/.test(bin)) return runSemanticScale(options);
  const argv = [
    ...process.execArgv,
    bin,
    'bench',
    'semantic-scale',
    '--entries',
    String(options.entries),
    ...(options.queries === undefined ? [] : ['--queries', String(options.queries)]),
    ...(options.hnsw?.expansionAdd === undefined
      ? []
      : ['--expansion-add', String(options.hnsw.expansionAdd)]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`semantic-scale for ${options.entries} entries exited with code ${code}`));
        return;
      }
      try {
        resolve(JSON.parse(output) as SemanticScaleResult);
      } catch (error) {
        reject(new Error(`semantic-scale printed no result: ${(error as Error).message}`));
      }
    });
  });
}
