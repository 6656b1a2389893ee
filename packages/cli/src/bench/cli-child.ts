import { spawn } from 'node:child_process';

/** True when `bin` is the CLI's own entry (not a test runner), so a child can be started from it. */
export function isCliBin(bin: string | undefined): bin is string {
  return bin !== undefined && /bin\.(c|m)?js$/.test(bin);
}

/**
 * Runs `tokenomics <args>` in a child process of this CLI (same Node flags) and parses the JSON
 * it prints. Benchmarks use it so that the RSS a child reports belongs to that child's work alone,
 * or to run several clients at once. `name` labels the errors.
 */
export function runCliForJson<T>(args: readonly string[], name: string): Promise<T> {
  const argv = [...process.execArgv, process.argv[1] as string, ...args];
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
        reject(new Error(`${name} exited with code ${code}`));
        return;
      }
      try {
        resolve(JSON.parse(output) as T);
      } catch (error) {
        reject(new Error(`${name} printed no result: ${(error as Error).message}`));
      }
    });
  });
}
