import { type Embedder, MemoryCacheStore, responseText, SemanticCache } from '@tokenomics/core';
import type { Conversation } from '../datasets';
import { createProgressBar } from '../output';
import { benchRequest, benchResponse } from './bench-request';
import { warmEmbedder } from './warm-embedder';

export type ContextualBenchResult = {
  file?: string;
  conversations: number;
  /** Follow-ups asked under a different conversation's main query: every hit serves a wrong answer. */
  wrongContext: {
    n: number;
    hits: number;
    examples: Array<{ main: string; followUp: string; served: string }>;
  };
  /** Paraphrased follow-ups asked after the paraphrased main query (files with paraphrases only). */
  paraphrasedFollowUps?: { n: number; rightHits: number; otherAnswerHits: number };
  /** Paraphrased main queries asked alone (files with paraphrases only). */
  paraphrasedMainQueries?: { n: number; rightHits: number; otherAnswerHits: number };
  /**
   * Up to 20 paraphrase hits that served another conversation's answer, to read: wrong unless
   * that conversation asked the same thing in other words (new_claude.json repeats topics).
   */
  otherAnswerExamples?: Array<{ asked: string; served: string }>;
  wrongContextHits: number;
  /** Paraphrase hits (main or follow-up) that served another conversation's answer; see the examples. */
  otherAnswerHits: number;
  rightHits: number;
  n: number;
};

/**
 * Contextual safety on MeanCache conversations. Every conversation is stored (main query →
 * answer, then the follow-up after it → answer) in one cache and one scope, then:
 * (a) each follow-up is asked after a DIFFERENT conversation's main query and answer — any hit
 *     is a wrong-context hit ("What are its types?" about inflation served for photosynthesis);
 * (b) in files with paraphrases, the paraphrased follow-up is asked after the paraphrased main
 *     query — a hit serving that conversation's follow-up answer is a right hit.
 */
export async function runContextualBench(
  conversations: readonly Conversation[],
  options: { embedder: Embedder; label?: string },
): Promise<ContextualBenchResult> {
  const label = options.label ?? 'contextual';
  const texts = conversations.flatMap((conversation) => [
    conversation.main,
    conversation.followUp,
    conversation.mainParaphrase ?? '',
    conversation.followUpParaphrase ?? '',
  ]);
  const embedder = await warmEmbedder(
    options.embedder,
    texts.filter((text) => text.length > 0).map((text) => text.trim()),
    `${label}: embedding`,
  );
  const cache = new SemanticCache({
    embedder,
    store: new MemoryCacheStore({ maxEntries: conversations.length * 2 + 1 }),
    onWarning: () => {},
  });
  const scope = { namespace: 'contextual' };
  const paraphrased = conversations.filter((conversation) => conversation.followUpParaphrase !== undefined);
  const progress = createProgressBar(
    `${label}: conversations`,
    conversations.length * 2 + paraphrased.length * 2,
  );

  for (const conversation of conversations) {
    await cache.store(
      benchRequest([{ user: conversation.main }], scope),
      benchResponse(conversation.mainAnswer),
    );
    await cache.store(
      benchRequest(
        [{ user: conversation.main, assistant: conversation.mainAnswer }, { user: conversation.followUp }],
        scope,
      ),
      benchResponse(conversation.followUpAnswer),
    );
    progress.tick();
  }

  const wrongContext: ContextualBenchResult['wrongContext'] = { n: 0, hits: 0, examples: [] };
  for (let index = 0; index < conversations.length; index++) {
    const conversation = conversations[index]!;
    const other = otherConversation(conversations, index);
    progress.tick();
    if (!other) continue;
    wrongContext.n++;
    const lookup = await cache.lookup(
      benchRequest(
        [{ user: other.main, assistant: other.mainAnswer }, { user: conversation.followUp }],
        scope,
      ),
    );
    if (lookup.status !== 'hit') continue;
    wrongContext.hits++;
    if (wrongContext.examples.length < 20) {
      wrongContext.examples.push({
        main: other.main,
        followUp: conversation.followUp,
        served: responseText(lookup.response),
      });
    }
  }

  let followUps: ContextualBenchResult['paraphrasedFollowUps'];
  let mains: ContextualBenchResult['paraphrasedMainQueries'];
  const otherExamples: NonNullable<ContextualBenchResult['otherAnswerExamples']> = [];
  if (paraphrased.length > 0) {
    followUps = { n: 0, rightHits: 0, otherAnswerHits: 0 };
    mains = { n: 0, rightHits: 0, otherAnswerHits: 0 };
    for (const conversation of paraphrased) {
      const mainLookup = await cache.lookup(benchRequest([{ user: conversation.mainParaphrase! }], scope));
      mains.n++;
      if (mainLookup.status === 'hit') {
        // A file may hold the same main query in several conversations (with differently worded
        // answers); the answer of any of them is right.
        const right = conversations.some(
          (other) =>
            same(other.main, conversation.main) && other.mainAnswer === responseText(mainLookup.response),
        );
        if (right) mains.rightHits++;
        else {
          mains.otherAnswerHits++;
          if (otherExamples.length < 20)
            otherExamples.push({
              asked: conversation.mainParaphrase!,
              served: responseText(mainLookup.response),
            });
        }
      }
      progress.tick();
      const followUpLookup = await cache.lookup(
        benchRequest(
          [
            { user: conversation.mainParaphrase!, assistant: conversation.mainAnswer },
            { user: conversation.followUpParaphrase! },
          ],
          scope,
        ),
      );
      followUps.n++;
      if (followUpLookup.status === 'hit') {
        const right = conversations.some(
          (other) =>
            same(other.main, conversation.main) &&
            same(other.followUp, conversation.followUp) &&
            other.followUpAnswer === responseText(followUpLookup.response),
        );
        if (right) followUps.rightHits++;
        else {
          followUps.otherAnswerHits++;
          if (otherExamples.length < 20)
            otherExamples.push({
              asked: conversation.followUpParaphrase!,
              served: responseText(followUpLookup.response),
            });
        }
      }
      progress.tick();
    }
  }
  progress.done();
  await cache.close();

  return {
    conversations: conversations.length,
    wrongContext,
    ...(followUps ? { paraphrasedFollowUps: followUps } : {}),
    ...(mains ? { paraphrasedMainQueries: mains, otherAnswerExamples: otherExamples } : {}),
    wrongContextHits: wrongContext.hits,
    otherAnswerHits: (followUps?.otherAnswerHits ?? 0) + (mains?.otherAnswerHits ?? 0),
    rightHits: followUps?.rightHits ?? 0,
    n: wrongContext.n + (followUps?.n ?? 0),
  };
}

/**
 * The conversation whose main query a follow-up is moved under: half the file away, skipping
 * any with the same main query, the same follow-up or the same follow-up answer (asking those
 * would be a fair hit).
 */
function otherConversation(conversations: readonly Conversation[], index: number): Conversation | undefined {
  const own = conversations[index]!;
  for (let step = 0; step < conversations.length - 1; step++) {
    const candidate =
      conversations[(index + Math.floor(conversations.length / 2) + step) % conversations.length]!;
    if (candidate === own) continue;
    // Two conversations that give the follow-up the same answer (paraphrased twins) are one context.
    if (
      same(candidate.main, own.main) ||
      same(candidate.followUp, own.followUp) ||
      same(candidate.followUpAnswer, own.followUpAnswer)
    )
      continue;
    return candidate;
  }
  return undefined;
}

function same(left: string, right: string): boolean {
  return left.trim().toLowerCase() === right.trim().toLowerCase();
}
