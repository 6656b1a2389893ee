import { HashingEmbedder } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../datasets';
import { runContextualBench } from './contextual-bench';

const conversation = (main: string, followUp: string, topic: string): Conversation => ({
  main,
  mainAnswer: `${topic} explained.`,
  followUp,
  followUpAnswer: `The types of ${topic}.`,
});

describe('runContextualBench', () => {
  it('asks each follow-up under another conversation and counts any hit as wrong-context', async () => {
    const conversations = [
      conversation('Can you explain the concept of inflation?', 'What are its types?', 'inflation'),
      conversation('Can you explain what a volcano is?', 'What are its types?', 'volcanoes'),
      conversation('What is a database index?', 'How is it stored on disk?', 'indexes'),
      conversation('What is photosynthesis?', 'Where does it happen in the cell?', 'photosynthesis'),
    ];
    const result = await runContextualBench(conversations, { embedder: new HashingEmbedder() });
    expect(result.conversations).toBe(4);
    // The two "What are its types?" conversations are not paired with each other (that would be a
    // fair hit); each follow-up is moved under a conversation about something else, and must miss.
    expect(result.wrongContext.n).toBe(4);
    expect(result.wrongContextHits).toBe(0);
    expect(result.paraphrasedFollowUps).toBeUndefined();
  });

  it('misses a follow-up whose earlier turn was reworded: earlier turns must be identical', async () => {
    const conversations: Conversation[] = [
      {
        main: 'What is photosynthesis?',
        mainParaphrase: 'what is photosynthesis',
        mainAnswer: 'Plants turn light into sugar.',
        followUp: 'What gas is released as a byproduct?',
        followUpParaphrase: 'what gas is released as a byproduct',
        followUpAnswer: 'Oxygen.',
      },
      {
        main: 'What is the French Revolution?',
        mainParaphrase: 'what is the French Revolution',
        mainAnswer: 'A revolution in France from 1789.',
        followUp: 'When did it end?',
        followUpParaphrase: 'when did it end',
        followUpAnswer: 'In 1799.',
      },
    ];
    const result = await runContextualBench(conversations, { embedder: new HashingEmbedder() });
    expect(result.paraphrasedFollowUps).toEqual({ n: 2, rightHits: 0, otherAnswerHits: 0 });
    expect(result.otherAnswerHits).toBe(0);
  });
});
