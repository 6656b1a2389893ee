import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fillCosts } from './fill-costs';
import { detectRoutingFormat, loadRoutingData } from './load-routing-data';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'routing-data-'));
}

describe('routing data importers', () => {
  it('reads a folder of RouteLLM CSVs as one dataset grouped by subject, without contaminated prompts', () => {
    const path = folder();
    writeFileSync(
      join(path, 'mmlu_anatomy.csv'),
      'prompt,weak-model,strong-model\n"Q1, with a comma\nA. x\nAnswer:",True,False\nQ2,False,True\n',
    );
    writeFileSync(join(path, 'mmlu_virology.csv'), 'prompt,weak-model,strong-model\nQ3,False,False\n');
    writeFileSync(
      join(path, 'contaminated_prompts.jsonl'),
      `${JSON.stringify({ train_prompt: 'x', eval_prompt: 'Q2' })}\n`,
    );
    expect(detectRoutingFormat(path)).toBe('routellm');
    const dataset = loadRoutingData(path);
    expect(dataset.records.map((record) => [record.prompt, record.group])).toEqual([
      ['Q1, with a comma\nA. x\nAnswer:', 'anatomy'],
      ['Q3', 'virology'],
    ]);
    expect(dataset.records[0]!.models).toEqual({
      'weak-model': { correct: 1 },
      'strong-model': { correct: 0 },
    });
    expect(dataset.notes.join(' ')).toContain('dropped 1 contaminated');
  });

  it('keeps RouteLLM responses and prices missing costs from tokens', async () => {
    const path = folder();
    const file = join(path, 'gsm8k_responses.csv');
    writeFileSync(
      file,
      'prompt,cheap,dear,cheap_response,dear_response\nWhat is 2+2?,True,True,"2+2=4\n#### 4",The answer is 4.\n',
    );
    const dataset = loadRoutingData(file);
    expect(dataset.records[0]!.models.cheap!.response).toBe('2+2=4\n#### 4');
    await fillCosts(dataset, {
      prices: {
        cheap: { inputPerMillion: 1, outputPerMillion: 2 },
        dear: { inputPerMillion: 10, outputPerMillion: 10 },
      },
    });
    const cheap = dataset.records[0]!.models.cheap!;
    expect(cheap.inputTokens).toBeGreaterThan(0);
    expect(cheap.outputTokens).toBeGreaterThan(0);
    expect(cheap.cost).toBeCloseTo((cheap.inputTokens! * 1 + cheap.outputTokens! * 2) / 1e6, 12);
    expect(dataset.records[0]!.models.dear!.cost).toBeGreaterThan(cheap.cost!);
  });

  it('reads RouterBench columns: correctness, responses and recorded costs', () => {
    const path = folder();
    const file = join(path, 'routerbench.csv');
    writeFileSync(
      file,
      'sample_id,prompt,eval_name,gpt-4,gpt-4|model_response,gpt-4|total_cost,llama,llama|model_response,llama|total_cost\n' +
        'mmlu.1,Q?,mmlu,1,yes,0.003,0.5,maybe,0.0001\n',
    );
    expect(detectRoutingFormat(file)).toBe('routerbench');
    const record = loadRoutingData(file).records[0]!;
    expect(record).toEqual({
      id: 'mmlu.1',
      prompt: 'Q?',
      group: 'mmlu',
      models: {
        'gpt-4': { correct: 1, response: 'yes', cost: 0.003 },
        llama: { correct: 0.5, response: 'maybe', cost: 0.0001 },
      },
    });
  });

  it('reads RouterBench files as published: gzip, Python-literal prompt and response lists, a folder of splits', () => {
    const path = folder();
    const header =
      ',sample_id,prompt,eval_name,gpt-4,mixtral,gpt-4|model_response,mixtral|model_response,gpt-4|total_cost,mixtral|total_cost,oracle_model_to_route_to\n';
    writeFileSync(
      join(path, 'arc_challenge_train.csv.gz'),
      gzipSync(
        `${header}0,arc.1,"['Which is it?\\nA) one\\nB) it\\'s two\\nAnswer:']",arc-challenge,1,0,['B'],"[""A) one""]",0.003,0.0001,gpt-4\n`,
      ),
    );
    writeFileSync(
      join(path, 'mbpp_test.csv.gz'),
      gzipSync(
        `${header}0,mbpp.7,['Write a function.'],mbpp,0,1,['def f(): pass'],['def f(): return 1'],0.01,0.001,mixtral\n`,
      ),
    );
    expect(detectRoutingFormat(path)).toBe('routerbench');
    const dataset = loadRoutingData(path);
    expect(dataset.records.map((record) => [record.id, record.group])).toEqual([
      ['arc.1', 'arc-challenge'],
      ['mbpp.7', 'mbpp'],
    ]);
    expect(dataset.records[0]).toEqual({
      id: 'arc.1',
      prompt: "Which is it?\nA) one\nB) it's two\nAnswer:",
      group: 'arc-challenge',
      models: {
        'gpt-4': { correct: 1, response: 'B', cost: 0.003 },
        mixtral: { correct: 0, response: 'A) one', cost: 0.0001 },
      },
    });
    expect(dataset.records[1]?.models.mixtral?.response).toBe('def f(): return 1');
  });

  it('reads LLMRouter questions with prices from default_llm.json', async () => {
    const path = folder();
    writeFileSync(
      join(path, 'train.json'),
      JSON.stringify([{ question: 'Q: hi', scores: { small: 0, big: 1 } }]),
    );
    writeFileSync(
      join(path, 'test.json'),
      JSON.stringify([{ question: 'Q: yo', scores: { small: 1, big: 1 } }]),
    );
    writeFileSync(
      join(path, 'default_llm.json'),
      JSON.stringify({
        small: { input_price: 0.1, output_price: 0.1 },
        big: { input_price: 0.9, output_price: 0.9 },
      }),
    );
    expect(detectRoutingFormat(path)).toBe('llmrouter');
    const dataset = loadRoutingData(path);
    expect(dataset.records.map((record) => [record.group, record.models.big!.correct])).toEqual([
      ['train', 1],
      ['test', 1],
    ]);
    await fillCosts(dataset);
    expect(dataset.records[0]!.models.big!.cost! / dataset.records[0]!.models.small!.cost!).toBeCloseTo(9, 6);
  });

  it('reads replay JSONL and rejects correctness outside [0, 1]', () => {
    const path = folder();
    const file = join(path, 'replay.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ id: 'a', prompt: 'p', models: { m: { correct: 1, cost: 0.5 } } })}\n`,
    );
    expect(loadRoutingData(file).records[0]).toEqual({
      id: 'a',
      prompt: 'p',
      models: { m: { correct: 1, cost: 0.5 } },
    });
    const bad = join(path, 'bad.jsonl');
    mkdirSync(join(path, 'sub'));
    writeFileSync(bad, `${JSON.stringify({ id: 'a', prompt: 'p', models: { m: { correct: 2 } } })}\n`);
    expect(() => loadRoutingData(bad, 'replay')).toThrow(/\[0, 1\]/);
  });
});
