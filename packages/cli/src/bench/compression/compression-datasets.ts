/**
 * Prompts with known answers, built from the shared compression datasets (read in place, never
 * copied): NaturalQuestions multi-document prompts, key-value retrieval, BIG-Bench-Hard
 * chain-of-thought prompts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from '../../datasets';

/** A prompt split the way an application sends it: instruction, compressible context, question. */
export type BenchPrompt = {
  id: string;
  instruction: string;
  context: string;
  /** The protected tail of the user message (the question and the answer cue). */
  question: string;
  /** Any of these, normalized, appearing in the compressed context counts as retained. */
  answers: string[];
};

export type NqPrompt = BenchPrompt & {
  docs: number;
  goldPosition: number;
  /** The gold document's line, as it stands in the context. */
  goldDocument: string;
};

/** A few-shot prompt: the examples (kept whole or dropped whole) and the question asked. */
export type FewShotPrompt = BenchPrompt & { source: 'gsm8k' | 'bbh'; examples: string[] };

type NqRow = { question: string; answers: string[]; ctxs: Array<{ title: string; text: string }> };

/**
 * How distractors are chosen: 'other' takes other rows' gold passages at a fixed stride (mostly
 * off-topic); 'similar' takes the other rows' passages that share the most (IDF-weighted) words
 * with the question and do not contain its answer — near-misses, like retrieved distractors.
 */
export type DistractorChoice = 'other' | 'similar';

/**
 * NaturalQuestions prompts as in "Lost in the Middle": the gold passage plus `docs - 1` other
 * rows' gold passages as distractors, the gold position cycling through every slot.
 */
export function nqPrompts(
  dataFolder: string,
  options: { docs: number; limit: number; offset?: number; distractors?: DistractorChoice },
): NqPrompt[] {
  const rows = readJsonLines<NqRow>(join(dataFolder, 'lost-in-the-middle', 'nq-open-oracle.jsonl.gz'));
  const template = readText(join(dataFolder, 'lost-in-the-middle', 'qa.prompt'));
  const [instruction] = template.split('\n\n');
  const offset = options.offset ?? 0;
  const end = Math.min(offset + options.limit, rows.length);
  const similar = options.distractors === 'other' ? undefined : similarPassages(rows);
  const prompts: NqPrompt[] = [];
  for (let index = offset; index < end; index += 1) {
    const row = rows[index]!;
    const distractors: NqRow['ctxs'] = [];
    if (similar) {
      for (const other of similar(index)) {
        if (distractors.length === options.docs - 1) break;
        if (!retainsAnswer(`${other.title} ${other.text}`, row.answers)) distractors.push(other);
      }
    }
    // A fixed stride through the file: other questions' passages, the same for every run. A
    // passage that holds the answer is no distractor (retention would count it).
    for (let step = 1; distractors.length < options.docs - 1; step += 1) {
      const other = rows[(index + step * 97) % rows.length]!;
      const passage = other.ctxs[0]!;
      if (other !== row && !retainsAnswer(`${passage.title} ${passage.text}`, row.answers)) {
        distractors.push(passage);
      }
    }
    const goldPosition = index % options.docs;
    const passages = [...distractors];
    passages.splice(goldPosition, 0, row.ctxs[0]!);
    const lines = passages.map(
      (passage, position) => `Document [${position + 1}](Title: ${passage.title}) ${passage.text}`,
    );
    const context = lines.join('\n');
    prompts.push({
      id: `nq-${index}`,
      instruction: instruction!,
      context,
      question: `Question: ${row.question}\nAnswer:`,
      answers: row.answers,
      docs: options.docs,
      goldPosition,
      goldDocument: lines[goldPosition]!,
    });
  }
  return prompts;
}

/** For each row, the other rows' passages ranked by IDF-weighted words shared with its question. */
function similarPassages(rows: NqRow[]): (index: number) => NqRow['ctxs'] {
  const words = (text: string) =>
    new Set(
      normalizeAnswer(text)
        .split(' ')
        .filter((word) => word.length > 2),
    );
  const postings = new Map<string, number[]>();
  rows.forEach((row, index) => {
    for (const word of words(`${row.ctxs[0]!.title} ${row.ctxs[0]!.text}`)) {
      const list = postings.get(word);
      if (list) list.push(index);
      else postings.set(word, [index]);
    }
  });
  return (index) => {
    const scores = new Map<number, number>();
    for (const word of words(rows[index]!.question)) {
      const list = postings.get(word);
      if (!list) continue;
      const idf = Math.log(rows.length / list.length);
      for (const other of list) if (other !== index) scores.set(other, (scores.get(other) ?? 0) + idf);
    }
    return Array.from(scores)
      .sort((left, right) => right[1] - left[1] || left[0] - right[0])
      .slice(0, 60)
      .map(([other]) => rows[other]!.ctxs[0]!);
  };
}

type KvRow = { ordered_kv_records: Array<[string, string]>; key: string; value: string };

/** Key-value retrieval over 75 UUID pairs: the asked value must survive. */
export function kvPrompts(dataFolder: string, options: { limit: number }): BenchPrompt[] {
  const rows = readJsonLines<KvRow>(join(dataFolder, 'lost-in-the-middle', 'kv-retrieval-75_keys.jsonl.gz'));
  const template = readText(join(dataFolder, 'lost-in-the-middle', 'kv_retrieval.prompt'));
  const [instruction] = template.split('\n\n');
  return rows.slice(0, options.limit).map((row, index) => {
    const records = row.ordered_kv_records.map(
      ([key, value]) => ` ${JSON.stringify(key)}: ${JSON.stringify(value)}`,
    );
    return {
      id: `kv-${index}`,
      instruction: instruction!,
      context: `JSON data:\n{\n${records.join(',\n')}\n}`,
      question: `Key: ${JSON.stringify(row.key)}\nCorresponding value:`,
      answers: [row.value],
    };
  });
}

/** BIG-Bench-Hard: each task's few-shot chain-of-thought prompt, asked its first test question. */
export function bbhPrompts(dataFolder: string, options: { limit: number }): FewShotPrompt[] {
  const folder = join(dataFolder, 'bbh');
  const tasks = readdirSync(join(folder, 'cot-prompts'))
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .slice(0, options.limit);
  return tasks.map((file) => {
    const task = file.replace(/\.txt$/, '');
    const raw = readText(join(folder, 'cot-prompts', file));
    // The files open with a canary line and a rule; the prompt is what follows.
    const body = raw.slice(raw.indexOf('-----') + 5).trim();
    const [instruction, ...examples] = body.split('\n\n');
    const testCase = (
      JSON.parse(readText(join(folder, 'tasks', `${task}.json`))) as {
        examples: Array<{ input: string; target: string }>;
      }
    ).examples[0]!;
    return {
      id: task,
      source: 'bbh',
      instruction: instruction!,
      context: examples.join('\n\n'),
      examples,
      question: `Q: ${testCase.input}\nA: Let's think step by step.`,
      answers: [],
    };
  });
}

/**
 * GSM8K 8-shot prompts: each uses 8 consecutive test problems with their worked answers (ending
 * in `#### N`) as examples and asks the 9th; no problem is in two prompts.
 */
export function gsm8kPrompts(
  dataFolder: string,
  options: { limit: number; shots?: number },
): FewShotPrompt[] {
  const rows = readJsonLines<{ question: string; answer: string }>(join(dataFolder, 'gsm8k', 'test.jsonl'));
  const shots = options.shots ?? 8;
  const prompts: FewShotPrompt[] = [];
  for (let start = 0; start + shots < rows.length && prompts.length < options.limit; start += shots + 1) {
    const examples = rows
      .slice(start, start + shots)
      .map((row) => `Question: ${row.question}\nAnswer: ${row.answer}`);
    prompts.push({
      id: `gsm8k-${start}`,
      source: 'gsm8k',
      instruction: 'Solve the grade-school math problem. Show your work and end with "#### " and the answer.',
      context: examples.join('\n\n'),
      examples,
      question: `Question: ${rows[start + shots]!.question}\nAnswer:`,
      answers: [],
    });
  }
  return prompts;
}

/** The final-answer lines of few-shot examples. */
export function answerLines(text: string): string[] {
  return text.match(/So the answer is [^\n]*/g) ?? [];
}

/** Lost-in-the-middle's answer normalization: lowercase, no punctuation, articles or extra spaces. */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function retainsAnswer(context: string, answers: readonly string[]): boolean {
  const normalized = ` ${normalizeAnswer(context)} `;
  return answers.some((answer) => {
    const target = normalizeAnswer(answer);
    return target.length > 0 && normalized.includes(target);
  });
}

/** Rows of a JSON-lines file, gzipped or not. */
export function readJsonLines<Row>(file: string): Row[] {
  if (!existsSync(file)) throw new DatasetError(`Dataset file not found: ${file}`);
  const text = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readText(file);
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Row);
}

function readText(file: string): string {
  if (!existsSync(file)) throw new DatasetError(`Dataset file not found: ${file}`);
  return readFileSync(file, 'utf8');
}
