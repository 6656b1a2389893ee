import {
  CacheStoreError,
  type CacheWarning,
  MemoryVectorIndex,
  type VectorIndex,
  type VectorMatch,
} from '@tokenomics/core';
import type { Redis } from 'ioredis';
import { describeError } from './redis-connection';
import type { RedisKeys } from './redis-keys';
import { ADD_VECTOR_SCRIPT, DELETE_VECTORS_SCRIPT } from './redis-vector-scripts';
import { runScript } from './run-script';
import { decodeVector, encodeVector, vectorProblem } from './vector-codec';

/** Changes kept in the stream; a process further behind reloads every vector from the hash. */
export const DEFAULT_VECTOR_LOG_LENGTH = 100_000;
const READ_BATCH = 500;

export type RedisVectorIndexOptions = {
  /** Changes kept in the shared stream. Default 100,000. */
  logLength?: number;
  /** The index this process searches; default an exact in-memory index. */
  localIndex?: () => VectorIndex;
  onWarning: (warning: CacheWarning) => void;
};

type LogEntry = [id: string, fields: string[]];

/**
 * Vectors shared through Redis, searched in process memory. Every vector lives in one Redis
 * hash; every change is also appended to a stream. Each process keeps its own index in step by
 * reading the stream from its last offset before each search, so an entry stored by another
 * process is found by the next lookup, and a new process loads the hash and then follows the
 * stream. Malformed vectors (wrong dimension, truncated) are skipped and reported, never indexed.
 */
export class RedisVectorIndex implements VectorIndex {
  private local: VectorIndex;
  private readonly dimensions = new Map<string, number>();
  private readonly logLength: number;
  private lastId: string | undefined;
  private lastSequence = 0;
  private loading: Promise<void> | undefined;
  private catchingUp: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
    private readonly options: RedisVectorIndexOptions,
  ) {
    this.local = this.newLocalIndex();
    this.logLength = Math.max(1_000, Math.floor(options.logLength ?? DEFAULT_VECTOR_LOG_LENGTH));
  }

  /** Loads every shared vector (done before the first search; call it to warm up). */
  load(): Promise<void> {
    this.loading ??= this.reload().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  async add(partition: string, key: string, vector: Float32Array): Promise<void> {
    const problem = vectorProblem(vector, this.dimensions.get(partition));
    if (problem) throw new CacheStoreError(`vector for ${key.slice(0, 12)} refused: ${problem}`);
    const refused = await this.call('add', () =>
      runScript(this.client, ADD_VECTOR_SCRIPT, [
        this.keys.prefix,
        key,
        partition,
        encodeVector(vector),
        vector.length,
        this.logLength,
      ]),
    );
    if (Number(refused) > 0)
      throw new CacheStoreError(
        `vector for ${key.slice(0, 12)} refused: ${vector.length} dimensions, the partition has ${refused}`,
      );
    await this.applyAdd(partition, key, vector);
  }

  /**
   * Catches up with the other processes' changes, then searches this process's index. While
   * the first load runs (a new process with many shared vectors) it answers no candidates
   * rather than making the request wait.
   */
  async search(partition: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    if (this.lastId === undefined) {
      void this.load().catch((error) => this.warnLoadFailed(error));
      return [];
    }
    await this.catchUp();
    if (this.lastId === undefined) return [];
    return this.local.search(partition, vector, k);
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call('delete', () =>
      runScript(this.client, DELETE_VECTORS_SCRIPT, [this.keys.prefix, this.logLength, ...keys]),
    );
    await this.local.delete(keys);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.local.close?.();
  }

  private catchUp(): Promise<void> {
    this.catchingUp ??= this.readLog().finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  /** Applies the stream from the last offset; a gap in the numbering means a reload. */
  private async readLog(): Promise<void> {
    for (;;) {
      const from = this.lastId as string;
      const reply = (await this.call('catch up', () =>
        this.client.xread('COUNT', READ_BATCH, 'STREAMS', this.keys.vectorLog, from),
      )) as Array<[string, LogEntry[]]> | null;
      const entries = reply?.[0]?.[1] ?? [];
      for (const [id, fields] of entries) {
        const sequence = Number(fieldOf(fields, 'seq'));
        if (sequence !== this.lastSequence + 1) {
          await this.reload();
          return;
        }
        await this.applyLogEntry(fields);
        this.lastId = id;
        this.lastSequence = sequence;
      }
      if (entries.length < READ_BATCH || this.closed) return;
    }
  }

  /** Reads every vector from the hash into a fresh index, then follows the stream from its tail. */
  private async reload(): Promise<void> {
    const tail = (await this.call('load', () =>
      this.client.xrevrange(this.keys.vectorLog, '+', '-', 'COUNT', 1),
    )) as LogEntry[];
    const tailId = tail[0]?.[0] ?? '0-0';
    const tailSequence = tail[0] ? Number(fieldOf(tail[0][1], 'seq')) : 0;
    const fresh = this.newLocalIndex();
    const dimensions = new Map<string, number>();
    let cursor = '0';
    do {
      const [next, flat] = await this.call('load', () =>
        this.client.hscan(this.keys.vectors, cursor, 'COUNT', 1_000),
      );
      cursor = next;
      for (let index = 0; index + 1 < flat.length; index += 2) {
        const parsed = parseStoredVector(flat[index] as string, flat[index + 1] as string);
        if (typeof parsed === 'string') {
          this.reportMalformed(parsed);
          continue;
        }
        const expected = dimensions.get(parsed.partition);
        if (expected !== undefined && expected !== parsed.vector.length) {
          this.reportMalformed(
            `vector ${parsed.key.slice(0, 12)} has ${parsed.vector.length} dimensions, not ${expected}`,
          );
          continue;
        }
        dimensions.set(parsed.partition, parsed.vector.length);
        await fresh.add(parsed.partition, parsed.key, parsed.vector);
      }
    } while (cursor !== '0');
    await this.local.close?.();
    this.local = fresh;
    this.dimensions.clear();
    for (const [partition, size] of dimensions) this.dimensions.set(partition, size);
    this.lastId = tailId;
    this.lastSequence = tailSequence;
    await this.readLog();
  }

  private async applyLogEntry(fields: string[]): Promise<void> {
    const op = fieldOf(fields, 'op');
    if (op === 'delete') {
      const keys = parseKeyList(fieldOf(fields, 'keys'));
      if (keys) await this.local.delete(keys);
      else this.reportMalformed('a delete in the vector log has no readable key list');
      return;
    }
    const key = fieldOf(fields, 'key');
    const partition = fieldOf(fields, 'partition');
    const vector = decodeVector(fieldOf(fields, 'vector') ?? '');
    if (op !== 'add' || key === undefined || partition === undefined || typeof vector === 'string') {
      this.reportMalformed(typeof vector === 'string' ? vector : `unreadable ${op ?? 'unnamed'} change`);
      return;
    }
    await this.applyAdd(partition, key, vector);
  }

  private async applyAdd(partition: string, key: string, vector: Float32Array): Promise<void> {
    const problem = vectorProblem(vector, this.dimensions.get(partition));
    if (problem) {
      this.reportMalformed(`vector ${key.slice(0, 12)}: ${problem}`);
      return;
    }
    this.dimensions.set(partition, vector.length);
    await this.local.add(partition, key, vector);
  }

  private newLocalIndex(): VectorIndex {
    return this.options.localIndex?.() ?? new MemoryVectorIndex();
  }

  private reportMalformed(reason: string): void {
    this.options.onWarning({ code: 'malformed-vector', message: `skipped a shared vector: ${reason}` });
  }

  private warnLoadFailed(error: unknown): void {
    this.options.onWarning({
      code: 'vector-load-failed',
      message: `could not load the shared vectors, semantic lookups miss until it works: ${describeError(error)}`,
      cause: error,
    });
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new CacheStoreError(`Redis vector ${operation} failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let index = 0; index + 1 < fields.length; index += 2)
    if (fields[index] === name) return fields[index + 1];
  return undefined;
}

function parseKeyList(text: string | undefined): string[] | undefined {
  try {
    const keys: unknown = JSON.parse(text ?? '');
    return Array.isArray(keys) && keys.every((key) => typeof key === 'string') ? keys : undefined;
  } catch {
    return undefined;
  }
}

function parseStoredVector(
  key: string,
  text: string,
): { key: string; partition: string; vector: Float32Array } | string {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return `vector ${key.slice(0, 12)} is not JSON`;
  }
  if (!Array.isArray(stored) || typeof stored[0] !== 'string' || typeof stored[1] !== 'string')
    return `vector ${key.slice(0, 12)} is not [partition, vector]`;
  const vector = decodeVector(stored[1]);
  if (typeof vector === 'string') return `vector ${key.slice(0, 12)}: ${vector}`;
  return { key, partition: stored[0], vector };
}
