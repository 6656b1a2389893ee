import { classifierPrior, HashingEmbedder, OutcomeMemory } from '@tokenomics/core';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { describe, expect, it } from 'vitest';
import { getRouteMetadata } from './route-metadata';
import { RouterChatModel } from './router-chat-model';

describe('RouterChatModel with an OutcomeMemory prior', () => {
  it("learns from users' ratings which kind of question the cheap model gets wrong", async () => {
    const embedder = new HashingEmbedder({ dimensions: 256 });
    const memory = new OutcomeMemory({ neighbours: 3, smoothing: 1 });
    // An evaluation run told us the large model handles tax questions.
    for (const question of [
      'How is capital gains tax computed on shares held for two years?',
      'How is capital gains tax computed on a house sold after ten years?',
    ]) {
      await memory.record((await embedder.embed([question]))[0]!, 'large', 1);
    }
    const router = new RouterChatModel({
      tiers: [
        {
          id: 'small',
          model: new ScriptedChatModel({ model: 'small-1', answers: () => ({ text: 'A guess.' }) }),
        },
        {
          id: 'large',
          model: new ScriptedChatModel({ model: 'large-1', answers: () => ({ text: 'A careful answer.' }) }),
        },
      ],
      embedder,
      policy: memory.learnFrom(classifierPrior({ prior: memory.prior('small', 'large'), threshold: 0.75 })),
    });

    const first = await router.invoke('How is capital gains tax computed on inherited shares?');
    const firstRoute = getRouteMetadata(first)!;
    expect(firstRoute.route.tier).toBe('small');
    // The engine's own check passed the answer (remembered as 1); the user rates it 0.
    await router.feedback(firstRoute.traceId, 0);

    const second = await router.invoke('How is capital gains tax computed on gifted shares?');
    expect(getRouteMetadata(second)!.route.tier).toBe('large');
    expect(second.content).toBe('A careful answer.');
  });
});
