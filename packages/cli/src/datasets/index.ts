export { DatasetError } from './dataset-error';
export { convertGptCachePairs, readGptCacheFile } from './gptcache-pairs';
export {
  formatLabelledPairs,
  type LabelledPair,
  parseLabelledPairs,
  readLabelledPairs,
} from './labelled-pairs';
export { type Conversation, parseConversations, readConversations } from './meancache-conversations';
export {
  normalizeQuestion,
  QUESTION_SPLIT_SEED,
  QUESTION_SPLIT_SHARES,
  type QuestionSplit,
  splitByQuestion,
} from './split-by-question';
