import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../args';
import type { CommandIo } from '../../commands/command-io';
import { benchRoutingCommand } from './bench-routing-command';

const quiet: CommandIo = { out: () => {}, err: () => {} };

/** Two groups: on "code" the cheap model is as good as the dear one, on "trivia" it is right half as often. */
function replayFile(): string {
  let state = 7;
  const next = () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
  const lines = Array.from({ length: 200 }, (_, index) => {
    const group = index % 2 === 0 ? 'code' : 'trivia';
    const dear = next() < 0.8 ? 1 : 0;
    const cheap = group === 'code' ? dear : dear && next() < 0.5 ? 1 : 0;
    return JSON.stringify({
      id: String(index),
      prompt: `${group} request ${index} ${'word '.repeat(index % 17)}`,
      group,
      models: { cheap: { correct: cheap, cost: 0.001 }, dear: { correct: dear, cost: 0.1 } },
    });
  });
  const folder = mkdtempSync(join(tmpdir(), 'bench-routing-'));
  const file = join(folder, 'replay.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('bench routing --online --model-prior', () => {
  it("starts the learner from the other groups' records, never the scored group's", async () => {
    const data = replayFile();
    const json = join(mkdtempSync(join(tmpdir(), 'bench-routing-out-')), 'out.json');
    const common = ['--data', data, '--strong', 'dear', '--weak', 'cheap', '--no-embeddings', '--online'];
    const code = await benchRoutingCommand(
      [
        ...common,
        '--online-policy',
        'neighbours',
        '--group',
        'code',
        '--model-prior',
        'other-groups',
        '--json',
        json,
      ],
      quiet,
    );
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(json, 'utf8')) as {
      notes: string[];
      command: string;
      online: {
        n: number;
        learner: { policy: string; feedbackChoice: string; settingsGiven: Record<string, unknown> };
      };
    };
    expect(written.online.n).toBe(100);
    // The JSON says how to rerun it and which learner settings it ran with.
    expect(written.command).toContain('--model-prior other-groups');
    expect(written.online.learner.policy).toBe('neighbours');
    expect(written.online.learner.feedbackChoice).toBe('random');
    expect(written.online.learner.settingsGiven.referenceTier).toBe('dear');
    expect(written.online.learner.settingsGiven.qualityShares).toBeDefined();
    // On trivia (the group left out) the cheap model is right about half as often as the dear one;
    // on code (the scored group) just as often: the prior must carry trivia's share.
    const note = written.notes.find((line) => line.startsWith('online model prior'));
    const share = Number(/"cheap":([\d.]+)/.exec(note ?? '')?.[1]);
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
  });

  it('refuses other-groups without a group to leave out', async () => {
    const data = replayFile();
    await expect(
      benchRoutingCommand(
        ['--data', data, '--no-embeddings', '--online', '--model-prior', 'other-groups'],
        quiet,
      ),
    ).rejects.toSatisfy((error) => error instanceof UsageError && /needs --group/.test(error.message));
  });

  it('refuses an --exploit, --share-difficulty or --feedback-choice it does not know, rather than run another learner', async () => {
    const data = replayFile();
    const common = ['--data', data, '--no-embeddings', '--online'];
    await expect(benchRoutingCommand([...common, '--exploit', 'greedy'], quiet)).rejects.toSatisfy(
      (error) => error instanceof UsageError && /--exploit/.test(error.message),
    );
    await expect(benchRoutingCommand([...common, '--share-difficulty', 'yes'], quiet)).rejects.toSatisfy(
      (error) => error instanceof UsageError && /--share-difficulty/.test(error.message),
    );
    await expect(benchRoutingCommand([...common, '--feedback-choice', 'hardest'], quiet)).rejects.toSatisfy(
      (error) => error instanceof UsageError && /--feedback-choice/.test(error.message),
    );
  });

  it('--cost-budget is given to the neighbours learner only, and recorded in the JSON', async () => {
    const data = replayFile();
    const folder = mkdtempSync(join(tmpdir(), 'bench-routing-out-'));
    const common = ['--data', data, '--strong', 'dear', '--weak', 'cheap', '--no-embeddings', '--online'];
    // Without embeddings the default learner is contextualBandit, which has no --cost-budget.
    await expect(benchRoutingCommand([...common, '--cost-budget', '0.3'], quiet)).rejects.toSatisfy(
      (error) => error instanceof UsageError && /--cost-budget/.test(error.message),
    );
    common.push('--online-policy', 'neighbours');
    const run = async (flags: string[], name: string) => {
      const json = join(folder, name);
      expect(await benchRoutingCommand([...common, '--lambda', '0', ...flags, '--json', json], quiet)).toBe(
        0,
      );
      return JSON.parse(readFileSync(json, 'utf8')) as {
        online: { learner: { settingsGiven: Record<string, unknown> } };
      };
    };
    const budgeted = await run(['--cost-budget', '0.3', '--budget-step', '0.05'], 'budget.json');
    expect(budgeted.online.learner.settingsGiven.budget).toEqual({ shareOfReference: 0.3, step: 0.05 });
    await expect(benchRoutingCommand([...common, '--budget-step', '0.1'], quiet)).rejects.toSatisfy(
      (error) => error instanceof UsageError && /need --cost-budget/.test(error.message),
    );
  });

  it('--explore-in-shadow needs the judge that grades exploring requests, and is recorded in the JSON', async () => {
    const data = replayFile();
    const json = join(mkdtempSync(join(tmpdir(), 'bench-routing-out-')), 'shadow.json');
    const common = ['--data', data, '--strong', 'dear', '--weak', 'cheap', '--no-embeddings', '--online'];
    common.push('--online-policy', 'neighbours', '--explore-in-shadow', '--feedback-rate', '0.2');
    // Shadow answers are never shown to a user, so user ratings (random feedback) cannot grade them.
    await expect(benchRoutingCommand(common, quiet)).rejects.toSatisfy(
      (error) => error instanceof UsageError && /--explore-in-shadow needs/.test(error.message),
    );
    const flags = [...common, '--feedback-choice', 'exploring-first', '--json', json];
    expect(await benchRoutingCommand(flags, quiet)).toBe(0);
    const written = JSON.parse(readFileSync(json, 'utf8')) as {
      online: { shadowShare: number; learner: { settingsGiven: Record<string, unknown> } };
    };
    expect(written.online.learner.settingsGiven.exploreInShadow).toBe(true);
    expect(written.online.shadowShare).toBeGreaterThan(0);
  });
});
