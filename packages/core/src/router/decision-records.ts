/**
 * A bounded map from trace id to what `feedback` and `explain` need, dropping the least recently
 * used record first, so a long-running router holds a fixed amount of memory.
 */
export class DecisionRecords<Record> {
  private readonly records = new Map<string, Record>();

  constructor(private readonly capacity: number) {}

  set(traceId: string, record: Record): void {
    this.records.delete(traceId);
    this.records.set(traceId, record);
    if (this.records.size > this.capacity) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
  }

  /** The record, marked as recently used. */
  get(traceId: string): Record | undefined {
    const record = this.records.get(traceId);
    if (record === undefined) return undefined;
    this.records.delete(traceId);
    this.records.set(traceId, record);
    return record;
  }

  get size(): number {
    return this.records.size;
  }
}
