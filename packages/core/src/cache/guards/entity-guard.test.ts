import { describe, expect, it } from 'vitest';
import { entityGuard, extractEntities } from './entity-guard';

describe('entityGuard', () => {
  it('fails a question about another place, product or quoted string', () => {
    expect(entityGuard('What is the capital of France?', 'What is the capital of Italy?')).toEqual({
      pass: false,
      reason: 'names differ: "france", "italy"',
    });
    expect(entityGuard('Paris weather in May', 'Lyon weather in May').pass).toBe(false);
    expect(entityGuard('How do I install React?', 'How do I install Vue?').pass).toBe(false);
    expect(entityGuard('What does "idempotent" mean?', 'What does "immutable" mean?').pass).toBe(false);
    expect(entityGuard('How does os.path.join work?', 'How does os.path.split work?').pass).toBe(false);
    expect(
      entityGuard('The Scene Parsing dataset has three fields', 'The Scene Datasets dataset has three fields')
        .pass,
    ).toBe(false);
  });

  it('passes rewordings that keep the names, in any case or spacing', () => {
    expect(entityGuard('How do I install React?', 'what is the way to install react').pass).toBe(true);
    expect(entityGuard('Explain the Hugging Face Hub', 'Describe the HuggingFace hub').pass).toBe(true);
    expect(entityGuard('Which JS bundler is fastest?', 'Which JavaScript bundler is the fastest?').pass).toBe(
      true,
    );
    expect(entityGuard("Don't use Python's GIL", 'Avoid the GIL of Python').pass).toBe(true);
    expect(entityGuard('Loading is fast. Refer to the guide.', 'Reading is quick; see the guide').pass).toBe(
      true,
    );
  });

  it('does not take sentence-initial question and instruction words for names', () => {
    expect(extractEntities('What is a list? Explain. Please sort it. Tell me more.')).toEqual([]);
    expect(extractEntities('Tell me about "the great gatsby" and os.path.join in Python')).toEqual([
      'the great gatsby',
      'os.path.join',
      'python',
    ]);
  });
});
