import { describe, expect, it } from 'vitest';
import { findContextSpans, findLayout, findQuestion } from './prompt-layout';

const DOCS = [
  'Document [1](Title: Lighthouse) The lighthouse was built in 1874. Who paid for it? The town did.',
  'Document [2](Title: Ferry) The ferry runs every hour between the two harbours.',
  'Document [3](Title: Market) The market opens on Saturdays at seven.',
].join('\n');

function questionOf(text: string): string | undefined {
  const span = findQuestion(text, findContextSpans(text));
  return span ? text.slice(span.start, span.end) : undefined;
}

describe('findQuestion', () => {
  it('takes an explicit marker and the rest of its paragraph', () => {
    expect(
      questionOf(`Use the documents.\n\n${DOCS}\n\nQuestion: when was the lighthouse built?\nAnswer:`),
    ).toBe('Question: when was the lighthouse built?\nAnswer:');
  });

  it('finds a question above the documents, not one inside them', () => {
    expect(questionOf(`When was the lighthouse built? Use these results.\n\n${DOCS}`)).toBe(
      'When was the lighthouse built? Use these results.',
    );
  });

  it('falls back to the last instruction', () => {
    expect(questionOf(`<context>\n${DOCS}\n</context>\n\nSummarize the ferry timetable.`)).toBe(
      'Summarize the ferry timetable.',
    );
  });
});

describe('findLayout', () => {
  it('finds answered demonstrations, and the unanswered last one is the question', () => {
    const text = [
      'Q: 2 + 2?\nA: Let us add.\nSo the answer is 4.',
      'Q: 3 + 3?\nA: Let us add.\nSo the answer is 6.',
      "Q: 4 + 4?\nA: Let's think step by step.",
    ].join('\n\n');
    const layout = findLayout(text);
    expect(layout.demonstrations).toHaveLength(2);
    expect(questionOf(text)).toBe("Q: 4 + 4?\nA: Let's think step by step.");
  });

  it('finds no context in text the user wrote', () => {
    expect(findContextSpans('Please fix my essay.\n\nThe ferry runs every hour. It is late.')).toEqual([]);
  });
});
