/** One model's recorded outcome on one request of a replay file. */
export type ModelOutcome = {
  /** Correctness in [0, 1] (1 = right). */
  correct: number;
  response?: string;
  /** Dollars for this call; filled from prices and token counts when missing. */
  cost?: number;
  inputTokens?: number;
  outputTokens?: number;
};

/** One line of a replay JSONL file: a request and what every model answered. */
export type ReplayRecord = {
  id: string;
  prompt: string;
  /** A subject, dataset or task: held out together in group cross-validation. */
  group?: string;
  models: Record<string, ModelOutcome>;
};

/** A loaded dataset: the records plus the model prices its importer knows (dollars per million tokens). */
export type RoutingDataset = {
  format: RoutingFormat;
  records: ReplayRecord[];
  prices: Record<string, ModelPrice>;
  /** What the importer dropped or assumed, printed with the report. */
  notes: string[];
};

export type ModelPrice = { inputPerMillion: number; outputPerMillion: number };

export const ROUTING_FORMATS = ['replay', 'routellm', 'routerbench', 'llmrouter'] as const;
export type RoutingFormat = (typeof ROUTING_FORMATS)[number];
