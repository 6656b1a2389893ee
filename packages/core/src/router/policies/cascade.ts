import { InvalidRouterOptionsError } from '../errors';
import { type ScoreCombination, scoreAnswer } from '../scorers/score-answer';
import type {
  AnswerReview,
  AnswerScorer,
  PolicyChoice,
  PolicyContext,
  PolicyOutcome,
  ReviewInput,
  RoutePolicy,
} from '../types';
import { type PriorSource, priorFunction } from './prior-source';

export type CascadeOptions = {
  /** Judge each answer; combined by `combine`. */
  scorers: AnswerScorer[];
  /** An answer scoring below this is escalated. Default 0.5. */
  threshold?: number;
  combine?: ScoreCombination;
  /** Chooses the first tier (e.g. a bandit or the classifier); default the cheapest tier. */
  start?: RoutePolicy;
  /** With `skipBelow`: when the prior is below it, go straight to the most expensive tier. */
  prior?: PriorSource;
  skipBelow?: number;
  /** Escalate to the next more expensive tier (default) or straight to the most expensive. */
  escalateTo?: 'next' | 'strongest';
};

type CascadeMemo = { start?: PolicyChoice };

/**
 * Calls a cheaper tier first, scores its answer, and escalates when the score is below the
 * threshold; skips the cheap call when the prior already says it will fail. The engine charges
 * every call and writes why each escalation happened into the trace.
 */
export function cascade(options: CascadeOptions): RoutePolicy {
  if (!Array.isArray(options.scorers)) throw new InvalidRouterOptionsError('cascade needs scorers');
  const threshold = options.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1))
    throw new InvalidRouterOptionsError('cascade threshold must be in 0..1');
  const priorOf = priorFunction(options.prior);
  if (options.skipBelow !== undefined && !priorOf) {
    throw new InvalidRouterOptionsError('cascade skipBelow needs a prior');
  }
  return {
    name: options.start ? `cascade(${options.start.name})` : 'cascade',

    async decide(context: PolicyContext): Promise<PolicyChoice> {
      const last = context.tiers.length - 1;
      let prior: number | undefined;
      if (priorOf) prior = await context.evaluatePrior(priorOf);
      if (prior !== undefined && options.skipBelow !== undefined && prior < options.skipBelow) {
        return {
          tierIndex: last,
          reason: 'prior-says-cheap-fails',
          prior,
          threshold: options.skipBelow,
          memo: {} satisfies CascadeMemo,
        };
      }
      if (!options.start) {
        const choice: PolicyChoice = {
          tierIndex: 0,
          reason: 'cascade-start',
          memo: {} satisfies CascadeMemo,
        };
        if (prior !== undefined) choice.prior = prior;
        return choice;
      }
      const start = await options.start.decide(context);
      const choice: PolicyChoice = { ...start, reason: `cascade-start:${start.reason}`, memo: { start } };
      if (prior !== undefined && choice.prior === undefined) choice.prior = prior;
      return choice;
    },

    async review(input: ReviewInput): Promise<AnswerReview> {
      const last = input.context.tiers.length - 1;
      if (input.tierIndex >= last) return { accept: true, scores: [], reason: 'strongest-tier' };
      const tier = input.context.tiers[input.tierIndex] as (typeof input.context.tiers)[number];
      const combined = await scoreAnswer(
        options.scorers,
        {
          request: input.context.request,
          answer: input.answer,
          tier,
          features: input.context.features,
          random: input.context.random,
          callTier: (target, purpose) =>
            input.callTier(
              input.context.tiers.findIndex((candidate) => candidate.id === target.id),
              purpose,
            ),
        },
        options.combine,
      );
      if (combined.score === undefined) {
        return { accept: true, scores: combined.scores, reason: 'no-scorer-verdict' };
      }
      if (combined.score >= threshold) {
        return {
          accept: true,
          score: combined.score,
          scores: combined.scores,
          reason: 'score-at-or-above-threshold',
        };
      }
      const failed = combined.scores
        .filter((result) => result.score < threshold)
        .map((result) => (result.reason ? `${result.scorer}: ${result.reason}` : result.scorer));
      return {
        accept: false,
        score: combined.score,
        scores: combined.scores,
        reason: `score ${round(combined.score)} below ${threshold} (${failed.join('; ')})`,
        escalateTo: options.escalateTo === 'strongest' ? last : input.tierIndex + 1,
      };
    },

    async update(outcome: PolicyOutcome): Promise<void> {
      const memo = outcome.choice.memo as CascadeMemo | undefined;
      if (!options.start?.update || !memo?.start) return;
      await options.start.update({ ...outcome, choice: memo.start });
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
