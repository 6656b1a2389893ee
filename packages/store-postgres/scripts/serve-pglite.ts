/**
 * PostgreSQL with pgvector for tests and local development, no install needed: PGlite (Postgres
 * compiled to WebAssembly) with its `vector` extension, served over the PostgreSQL wire protocol
 * on 127.0.0.1, so clients connect with the ordinary `pg` driver exactly as to a real server.
 *
 *   node --import tsx packages/store-postgres/scripts/serve-pglite.ts [--port 0] [--data-dir DIR]
 *
 * Prints `ready postgres://postgres@127.0.0.1:PORT/postgres` once it accepts connections. PGlite
 * is single-user: statements from two connections at once can interleave mid-message and hang,
 * so clients use one pool of one connection (`maxConnections: 1`). A few connection slots are
 * open so that a client can reconnect while the server is still letting go of the previous one.
 */
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' } },
});
const db = await PGlite.create(values['data-dir'] ?? 'memory://', { extensions: { vector } });
const server = new PGLiteSocketServer({
  db,
  port: Number(values.port),
  host: '127.0.0.1',
  maxConnections: 4,
});
await server.start();
console.log(`ready postgres://postgres@${server.getServerConn()}/postgres`);

async function stop(): Promise<void> {
  await server.stop();
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
