/**
 * Builds labelled cache pairs ({"a","b","label"} JSONL: store `a`, look up `b`) from the shared
 * public datasets plus constructed look-alike negatives, split by source row into train,
 * validation and test so no test row is ever seen in training.
 *
 *   npx tsx scripts/cache-pairs/build-pairs.ts [--out .tokenomics/cache-pairs] [--seed 7]
 *       [--datasets ../shared/datasets] [--templates 270]
 *
 * Writes train/validation/test.jsonl, *-hard.jsonl (positives + look-alike negatives only)
 * and summary.json. Derived data stays out of the repository (`.tokenomics/` is ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nearIdentical, sameSubjectPairs, substituteWord, swappableWords } from './extra-pairs';
import { type LabelledPair, LOOK_ALIKE_KINDS, type LookAlikeKind, type SourceRow } from './pair-types';
import { namesIn, PERTURBATIONS } from './perturb';
import { type Random, seededRandom } from './random';
import { gptCacheRows, meanCacheRows, normalizeForId } from './sources';
import { templateRows } from './templates';

export type BuildPairsOptions = {
  /** Folder holding `cache/gptcache` and `cache/meancache`. */
  datasets: string;
  seed: number;
  /** Templated rows to add (numbers, direction, routes). */
  templates: number;
};

export type SplitName = 'train' | 'validation' | 'test';
export type PairSplits = Record<SplitName, LabelledPair[]>;

const SPLIT_SHARES: Record<SplitName, number> = { train: 0.7, validation: 0.1, test: 0.2 };

export function buildPairs(options: BuildPairsOptions): PairSplits {
  const random = seededRandom(options.seed);
  const rows = [
    ...gptCacheRows(options.datasets),
    ...meanCacheRows(options.datasets),
    ...templateRows(random, options.templates),
  ];
  const rowsBySplit = splitRows(rows, random);
  // The identical / near-identical / same-subject pairs draw from their own stream, so adding
  // them left every earlier pair (and its cached embedding) unchanged.
  const extraRandom = seededRandom(options.seed + 1_000_003);
  const build = (split: SplitName) => [
    ...pairsFor(rowsBySplit[split], random),
    ...extraPairsFor(rowsBySplit[split], extraRandom),
  ];
  const train = build('train');
  const validation = build('validation');
  const test = build('test');
  return { train, validation, test };
}

/**
 * Positives and look-alike negatives only: the pairs a cosine threshold cannot separate.
 * Identical texts are left out (any cache hits them; they would only inflate recall).
 */
export function hardPairs(pairs: readonly LabelledPair[]): LabelledPair[] {
  return pairs.filter(
    (pair) =>
      (pair.label === 1 && pair.kind !== 'identical') ||
      (LOOK_ALIKE_KINDS as readonly string[]).includes(pair.kind),
  );
}

function splitRows(rows: readonly SourceRow[], random: Random): Record<SplitName, SourceRow[]> {
  // Rows sharing an id (a repeated text) go to one split together.
  const ids = random.shuffle([...new Set(rows.map((row) => row.id))].sort());
  const splitOf = new Map<string, SplitName>();
  ids.forEach((id, index) => {
    const position = index / ids.length;
    splitOf.set(
      id,
      position < SPLIT_SHARES.train
        ? 'train'
        : position < SPLIT_SHARES.train + SPLIT_SHARES.validation
          ? 'validation'
          : 'test',
    );
  });
  const result: Record<SplitName, SourceRow[]> = { train: [], validation: [], test: [] };
  for (const row of rows) result[splitOf.get(row.id)!].push(row);
  return result;
}

function pairsFor(rows: readonly SourceRow[], random: Random): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  const seen = new Set<string>();
  const add = (row: SourceRow, a: string, b: string, label: 0 | 1, kind: LabelledPair['kind']) => {
    if (label === 0 && normalizeForId(a) === normalizeForId(b)) return;
    const key = `${a}\u0000${b}`;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push({
      a,
      b,
      label,
      kind,
      source: row.source,
      row: row.id,
      ...(row.followUp ? { followUp: true } : {}),
    });
  };
  const entityPools = new Map<string, string[]>();
  for (const row of rows) {
    const pool = entityPools.get(row.source) ?? [];
    pool.push(...namesIn(row.anchor));
    entityPools.set(row.source, pool);
  }
  const neighbours = nearestNeighbours(rows);

  for (const row of rows) {
    for (const paraphrase of row.paraphrases) {
      if (random.chance(0.5)) add(row, row.anchor, paraphrase, 1, 'paraphrase');
      else add(row, paraphrase, row.anchor, 1, 'paraphrase');
    }
    for (const lookAlike of row.lookAlikes ?? []) add(row, row.anchor, lookAlike.text, 0, lookAlike.kind);
    if (row.source !== 'templates') {
      const pool = [...new Set(entityPools.get(row.source) ?? [])];
      for (const [kind, perturb] of Object.entries(PERTURBATIONS) as Array<
        [LookAlikeKind, (typeof PERTURBATIONS)['number']]
      >) {
        // Perturbing the paraphrase makes the harder look-alike: reworded AND one detail changed.
        const bases =
          row.paraphrases.length > 0 && random.chance(0.6) ? [row.paraphrases[0]!, row.anchor] : [row.anchor];
        for (const base of bases) {
          const changed = perturb(base, random, pool);
          if (changed && changed !== base) {
            add(row, row.anchor, changed, 0, kind);
            break;
          }
        }
      }
    }
    const neighbour = neighbours.get(row);
    if (neighbour)
      add(row, row.anchor, random.pick([neighbour.anchor, ...neighbour.paraphrases]), 0, 'neighbour');
    const stranger = random.pick(rows);
    if (stranger.id !== row.id)
      add(row, row.anchor, random.pick([stranger.anchor, ...stranger.paraphrases]), 0, 'unrelated');
  }
  return pairs;
}

/**
 * Identical and near-identical positives (every row: the same question asked again must hit,
 * however short), one-word substitutions ("annual" -> "monthly") and same-subject questions
 * ("list vs tuple in Python" / "sort a list in Python") as negatives. Templates have their
 * own look-alikes; they only get the positives.
 */
function extraPairsFor(rows: readonly SourceRow[], random: Random): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  const push = (row: SourceRow, a: string, b: string, label: 0 | 1, kind: LabelledPair['kind']) =>
    pairs.push({
      a,
      b,
      label,
      kind,
      source: row.source,
      row: row.id,
      ...(row.followUp ? { followUp: true } : {}),
    });
  const wordPools = new Map<string, string[]>();
  for (const row of rows) {
    const pool = wordPools.get(row.source) ?? [];
    pool.push(...swappableWords(row.anchor));
    wordPools.set(row.source, pool);
  }
  for (const row of rows) {
    const text = random.chance(0.5) || row.paraphrases.length === 0 ? row.anchor : row.paraphrases[0]!;
    push(row, text, text, 1, 'identical');
    const near = nearIdentical(text, random);
    if (near && normalizeForId(near) !== '') push(row, text, near, 1, 'near-identical');
    if (row.source === 'templates') continue;
    const pool = [...new Set(wordPools.get(row.source) ?? [])];
    // GPTCache statements are long: one word swapped in an already reworded statement is too
    // close to a paraphrase to be a fair negative, so they swap a word of the stored text itself.
    const base = row.source === 'gptcache' || random.chance(0.5) ? row.anchor : text;
    const swapped = substituteWord(base, pool, random);
    if (swapped && normalizeForId(swapped) !== normalizeForId(row.anchor))
      push(row, row.anchor, swapped, 0, 'substitution');
  }
  // Same-subject questions only among MeanCache questions: GPTCache states one library's facts
  // many times in other words, where a shared subject is too often the same fact.
  const questions = rows.filter((row) => row.source === 'meancache' && !row.followUp);
  for (const [index, other] of sameSubjectPairs(questions.map((row) => row.anchor))) {
    const row = questions[index]!;
    const partner = questions[other]!;
    push(row, row.anchor, random.pick([partner.anchor, ...partner.paraphrases]), 0, 'same-subject');
  }
  return pairs;
}

/**
 * For each row, the most similar other row of the same source by character 3-grams: "Optimum
 * is a tool that ..." next to "Accelerate is a tool that ...". Near-copies (the same text
 * under another row) are skipped: they are not negatives.
 */
function nearestNeighbours(rows: readonly SourceRow[]): Map<SourceRow, SourceRow> {
  const grams = rows.map((row) => trigrams(row.anchor));
  const result = new Map<SourceRow, SourceRow>();
  rows.forEach((row, index) => {
    let best: { row: SourceRow; score: number } | undefined;
    rows.forEach((other, otherIndex) => {
      if (other.id === row.id || other.source !== row.source) return;
      const score = jaccard(grams[index]!, grams[otherIndex]!);
      if (score >= 0.85 || (best && score <= best.score)) return;
      // Checked only for a would-be best: it is the slow part.
      if (!sameSubject(row.anchor, other.anchor)) best = { row: other, score };
    });
    if (best && best.score > 0.2) result.set(row, best.row);
  });
  return result;
}

/**
 * GPTCache repeats many facts under different rows ("The `select` method creates a new table
 * ..." twice, in other words). Such a neighbour is a paraphrase, not a negative: rows about the
 * same code identifiers, or sharing half their content words, are not used as neighbours.
 */
function sameSubject(left: string, right: string): boolean {
  const identifiers = (text: string) =>
    [...text.matchAll(/`([^`]+)`/g)]
      .map((match) => match[1])
      .sort()
      .join('\u0000');
  const leftIdentifiers = identifiers(left);
  if (leftIdentifiers !== '' && leftIdentifiers === identifiers(right)) return true;
  return jaccard(contentWords(left), contentWords(right)) >= 0.5;
}

const STOP_WORDS = new Set(
  'a an the of to in on for and or is are be can it its this that with by as from at what how which who why do does you your'.split(
    ' ',
  ),
);

function contentWords(text: string): Set<string> {
  return new Set(
    normalizeForId(text)
      .split(' ')
      .filter((word) => word && !STOP_WORDS.has(word)),
  );
}

function trigrams(text: string): Set<string> {
  const normalized = ` ${normalizeForId(text)} `;
  const grams = new Set<string>();
  for (let index = 0; index + 3 <= normalized.length; index++) grams.add(normalized.slice(index, index + 3));
  return grams;
}

function jaccard(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  const union = left.size + right.size - shared;
  return union === 0 ? 0 : shared / union;
}

export function summarize(splits: PairSplits): Record<string, Record<string, number>> {
  const summary: Record<string, Record<string, number>> = {};
  for (const [split, pairs] of Object.entries(splits)) {
    const counts: Record<string, number> = {};
    for (const pair of pairs) {
      counts[`${pair.kind}`] = (counts[pair.kind] ?? 0) + 1;
      counts[`source:${pair.source}`] = (counts[`source:${pair.source}`] ?? 0) + 1;
      counts[`label:${pair.label}`] = (counts[`label:${pair.label}`] ?? 0) + 1;
    }
    summary[split] = counts;
  }
  return summary;
}

export function toJsonl(pairs: readonly LabelledPair[]): string {
  return pairs.map((pair) => JSON.stringify(pair)).join('\n') + '\n';
}

export function parseArguments(argv: readonly string[]): BuildPairsOptions & { out: string } {
  const value = (name: string, fallback: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] ? argv[index + 1]! : fallback;
  };
  return {
    out: resolve(value('out', '.tokenomics/cache-pairs')),
    datasets: resolve(value('datasets', '../shared/datasets')),
    seed: Number(value('seed', '7')),
    templates: Number(value('templates', '270')),
  };
}

function main(): void {
  const options = parseArguments(process.argv.slice(2));
  const splits = buildPairs(options);
  mkdirSync(options.out, { recursive: true });
  for (const [split, pairs] of Object.entries(splits)) {
    writeFileSync(join(options.out, `${split}.jsonl`), toJsonl(pairs));
    writeFileSync(join(options.out, `${split}-hard.jsonl`), toJsonl(hardPairs(pairs)));
  }
  const summary = {
    options: { seed: options.seed, templates: options.templates },
    counts: summarize(splits),
  };
  writeFileSync(join(options.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(summary.counts, null, 2)}\nwrote ${options.out}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
