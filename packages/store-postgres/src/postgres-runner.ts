import { type CacheWarning, TokenomicsError } from '@tokenomics/core';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';

/** Default bound on every store call: a slow or unreachable server costs at most this per call. */
export const DEFAULT_POSTGRES_TIMEOUT_MS = 50;

/**
 * pgvector settings of every connection: filtered HNSW searches keep scanning until they have
 * k rows that pass the filters (pgvector 0.8+), from a candidate list of 100 (default 40).
 */
const SESSION_SETUP = `SET hnsw.iterative_scan = strict_order; SET hnsw.ef_search = 100`;

/** A statement overran its time bound; the store treats it like a server that is down. */
export class PostgresTimeoutError extends TokenomicsError {
  override readonly name = 'PostgresTimeoutError';

  static override isInstance(value: unknown): value is PostgresTimeoutError {
    return TokenomicsError.hasName(value, 'PostgresTimeoutError');
  }
}

/**
 * Runs each statement within a time bound, on a connection from the pool. A statement that
 * overruns is abandoned and its connection destroyed (never reused mid-statement), so a slow
 * or dead server costs a request at most `timeoutMs`. Reports the server going away once per
 * outage and its return.
 */
export class PostgresRunner {
  private down = false;

  constructor(
    readonly pool: Pool,
    readonly timeoutMs: number,
    private readonly warn: (warning: CacheWarning) => void,
  ) {
    // An idle connection dropped by a dying server must not crash the process.
    pool.on('error', (error) => this.markDown(error));
    // Queued before any statement of ours on each new connection. Placeholders are harmless
    // where pgvector is missing (a server without vectors).
    pool.on('connect', (client) => {
      client.query(SESSION_SETUP).catch(() => undefined);
    });
  }

  async query<Row extends QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    timeoutMs = this.timeoutMs,
  ): Promise<Row[]> {
    const result = await this.run<Row>(sql, params, timeoutMs);
    return result.rows;
  }

  /**
   * Several statements without parameters in one round trip (the simple query protocol): the
   * server runs them in one implicit transaction, so `SET LOCAL` or `set_config(…, true)` in an
   * early statement holds for the later ones and ends with them. The rows of each statement.
   */
  async script(sql: string, timeoutMs = this.timeoutMs): Promise<QueryResultRow[][]> {
    const result = await this.run(sql, [], timeoutMs);
    return (Array.isArray(result) ? result : [result]).map((each: QueryResult) => each.rows);
  }

  private async run<Row extends QueryResultRow>(
    sql: string,
    params: unknown[],
    timeoutMs: number,
  ): Promise<QueryResult<Row>> {
    const deadline = Date.now() + timeoutMs;
    let client: PoolClient;
    try {
      client = await bounded(this.pool.connect(), timeoutMs, (late) => late.release());
    } catch (error) {
      this.markDown(error);
      throw error;
    }
    try {
      const result = await bounded(client.query<Row>(sql, params), Math.max(1, deadline - Date.now()));
      client.release();
      this.markUp();
      return result;
    } catch (error) {
      // After a timeout or a broken connection the client may be mid-statement: drop it. An
      // error the server reported (a constraint, bad SQL) leaves the connection usable.
      const serverError = isServerError(error);
      client.release(serverError ? undefined : (error as Error));
      if (!serverError) this.markDown(error);
      throw error;
    }
  }

  private markDown(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.warn({
      code: 'store-unavailable',
      message: `PostgreSQL is unreachable or slow, calls go to the model until it answers: ${
        error instanceof Error ? error.message : String(error)
      }`,
      cause: error,
    });
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.warn({ code: 'store-reconnected', message: 'PostgreSQL answers again' });
  }
}

function isServerError(error: unknown): boolean {
  return typeof (error as { severity?: unknown } | undefined)?.severity === 'string';
}

/** The promise's value if it settles within `ms`; otherwise a PostgresTimeoutError, and `late` gets the value. */
function bounded<T>(promise: Promise<T>, ms: number, late?: (value: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new PostgresTimeoutError(`PostgreSQL did not answer within ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) late?.(value);
        else resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        if (!timedOut) reject(error);
      },
    );
  });
}
