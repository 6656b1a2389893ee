import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Servers a fault test owns, so it can kill and restart them: a Redis server and a PGlite
 * (PostgreSQL + pgvector) server, each on its own free port on 127.0.0.1, and a proxy that can
 * stop forwarding (a server that hangs). Everything binds to loopback only.
 */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The program's path when it is on PATH. */
export function programPath(program: string): string | undefined {
  try {
    return execFileSync('which', [program], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A server process started from a command line, that prints a line when ready (or is polled). */
abstract class OwnedServer {
  protected child: ChildProcess | undefined;
  readonly folder = mkdtempSync(join(tmpdir(), 'tokenomics-fault-'));

  constructor(readonly port: number) {}

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  /** Kills the server at once (SIGKILL: no clean shutdown, like a crash). */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.folder, { recursive: true, force: true });
  }

  abstract start(): Promise<void>;

  protected launch(command: string, args: string[], readyLine: RegExp, waitMs: number): Promise<void> {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), waitMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (readyLine.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${command} exited with ${code}: ${output}`));
      });
    });
  }
}

export class RedisServerProcess extends OwnedServer {
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    return this.launch(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.folder,
      ],
      /Ready to accept connections/,
      15_000,
    );
  }
}

const SERVE_PGLITE = join(
  import.meta.dirname,
  '..',
  '..',
  'packages',
  'store-postgres',
  'scripts',
  'serve-pglite.ts',
);

/** PGlite with pgvector over the wire protocol; its data lives in a folder, so it survives a restart. */
export class PgliteServerProcess extends OwnedServer {
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  start(): Promise<void> {
    return this.launch(
      process.execPath,
      ['--import', 'tsx', SERVE_PGLITE, '--port', String(this.port), '--data-dir', join(this.folder, 'data')],
      /ready postgres:/,
      90_000,
    );
  }
}

/** Forwards TCP to a server; `hang()` stops forwarding (the server seems alive but never answers). */
/**
 * A PGlite server (PostgreSQL + pgvector over the wire protocol) for the enclosing `describe`:
 * started before its tests, stopped after them. The getter returns it once started.
 */
export function pgliteServerForSuite(): () => PgliteServerProcess {
  let server: PgliteServerProcess | undefined;
  beforeAll(async () => {
    server = new PgliteServerProcess(await freePort());
    await server.start();
  }, 120_000);
  afterAll(() => server?.stop());
  return () => {
    if (!server) throw new Error('the PGlite server has not started');
    return server;
  };
}

export class HangingProxy {
  private hung = false;
  private readonly sockets = new Set<Socket>();
  /** Data held back while hung, delivered on `resume()`. */
  private held: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<HangingProxy> {
    const port = await freePort();
    let proxy: HangingProxy | undefined;
    const server = createServer((client) => proxy?.forward(client, targetPort));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    proxy = new HangingProxy(server, port);
    return proxy;
  }

  hang(): void {
    this.hung = true;
  }

  resume(): void {
    this.hung = false;
    for (const deliver of this.held.splice(0)) deliver();
    for (const socket of this.sockets) socket.resume();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private forward(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      from.on('data', (chunk) => {
        if (!this.hung) {
          to.write(chunk);
          return;
        }
        from.pause();
        this.held.push(() => to.write(chunk));
      });
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    }
  }
}
