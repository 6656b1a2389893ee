import { describe, expect, it } from 'vitest';
import { keepDocuments } from './document-baselines';

const DOCUMENTS = [
  'The ferry leaves the harbour every hour in summer.',
  'The lighthouse on the cape was built in 1874 by the harbour board.',
  'Market stalls open on Saturdays at seven in the square.',
  'The cape lighthouse keeper lived in the cottage next to the lighthouse.',
];
const words = (text: string) => text.split(' ').length;

describe('whole-document baselines', () => {
  it('truncation keeps documents in order until one does not fit', () => {
    expect(keepDocuments(DOCUMENTS, 'when was the cape lighthouse built', 'truncate', 12, words)).toEqual([
      0,
    ]);
  });

  it('BM25 and question likelihood keep the documents about the question, in their order', () => {
    for (const method of ['bm25-topk', 'coarse-ql'] as const) {
      const kept = keepDocuments(DOCUMENTS, 'when was the cape lighthouse built', method, 30, words);
      expect(kept).toContain(1);
      expect(kept).not.toContain(2);
      expect(kept).toEqual([...kept].sort((left, right) => left - right));
    }
  });
});
