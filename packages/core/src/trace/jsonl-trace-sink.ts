import { createJsonlAppender } from '../ledger/jsonl-appender';
import type { TraceSink } from './trace';

/** Appends each finished trace as one JSON line to `path` (parent folders are created), in order. */
export function createJsonlTraceSink(path: string): TraceSink & { flush(): Promise<void> } {
  const appender = createJsonlAppender(path);
  return { write: (trace) => appender.append(trace), flush: () => appender.flush() };
}
