/** One group of texts that ask the same thing; every pair built from it stays in one split. */
export type SourceRow = {
  id: string;
  source: 'gptcache' | 'meancache' | 'templates' | 'qqp';
  /** The text stored in the cache. */
  anchor: string;
  /** Texts that should hit the anchor (may be empty: the row then only yields negatives). */
  paraphrases: string[];
  /** A follow-up turn that only makes sense after an earlier one ("Which part is the brain?"). */
  followUp?: boolean;
  /** Look-alike texts that must miss, made by the row's own generator (templates only). */
  lookAlikes?: Array<{ text: string; kind: LookAlikeKind }>;
};

/** Negatives that look like the anchor: one detail changed. */
export type LookAlikeKind =
  | 'number'
  | 'entity'
  | 'negation'
  | 'order'
  | 'antonym'
  | 'neighbour'
  | 'substitution'
  | 'same-subject'
  | 'same-frame';
/** Positives: a reworded question, the same text again, or the same text re-cased / with a function word changed. */
export type PositiveKind = 'paraphrase' | 'identical' | 'near-identical';
export type PairKind = PositiveKind | LookAlikeKind | 'unrelated';

/** One labelled pair: store `a`, look up `b`; label 1 means `a`'s answer also answers `b`. */
export type LabelledPair = {
  a: string;
  b: string;
  label: 0 | 1;
  kind: PairKind;
  source: SourceRow['source'];
  row: string;
  followUp?: boolean;
};

export const LOOK_ALIKE_KINDS: readonly LookAlikeKind[] = [
  'number',
  'entity',
  'negation',
  'order',
  'antonym',
  'neighbour',
  'substitution',
  'same-subject',
  'same-frame',
];
