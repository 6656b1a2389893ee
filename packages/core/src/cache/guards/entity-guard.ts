import { COMMON_WORDS, FUNCTION_WORDS } from './common-words';
import { GUARD_PASS, type GuardOutcome } from './guard-types';
import { singular } from './words';

/**
 * A question about Paris is not a question about Lyon. Names (capitalized words, acronyms),
 * quoted strings and code identifiers that appear in one text but not the other fail the pair.
 * A name counts as present when the other text has it in any case, spaced differently
 * ("Hugging Face" / "HuggingFace") or as the acronym of its words ("JS" / "JavaScript").
 */
export function entityGuard(stored: string, query: string): GuardOutcome {
  const missing = missingEntities(stored, query);
  if (missing.length === 0) return GUARD_PASS;
  return { pass: false, reason: `names differ: ${missing.map((entity) => `"${entity}"`).join(', ')}` };
}

/** The entities of either text that the other text lacks. */
export function missingEntities(stored: string, query: string): string[] {
  return [...absentFrom(entitiesAsWritten(stored), query), ...absentFrom(entitiesAsWritten(query), stored)];
}

/** Names, quoted strings and code identifiers of a text, lower-cased, without duplicates. */
export function extractEntities(text: string): string[] {
  return [...new Set(entitiesAsWritten(text).map((entity) => entity.toLowerCase()))];
}

function entitiesAsWritten(text: string): string[] {
  const entities = new Set<string>();
  for (const match of text.matchAll(/(?:^|[\s([])(["“'‘`])([^"”'’`\n]{1,80}?)["”'’`](?=$|[\s).,;:!?\]])/g)) {
    const quoted = match[2]!.trim();
    if (quoted) entities.add(quoted);
  }
  for (const match of text.matchAll(/\S+/g)) {
    const raw = match[0];
    const token = raw.replace(/^[^\p{L}\p{N}_$@#]+|[^\p{L}\p{N}_)]+$/gu, '');
    if (!token || !/\p{L}/u.test(token)) continue;
    if (isCodeIdentifier(token)) {
      entities.add(token);
      continue;
    }
    // "Don't", "Isn't": verbs, never names. "Python's" names "Python".
    if (/n['’]t$/i.test(token)) continue;
    for (const part of token.replace(/['’](?:s|re|ll|ve|d|m)$/i, '').split('-')) {
      if (isName(part, atSentenceStart(text, match.index ?? 0))) entities.add(part);
    }
  }
  return [...entities];
}

function isCodeIdentifier(token: string): boolean {
  return (
    /^[\p{L}_$][\p{L}\p{N}_$]*\(\)?$/u.test(token) || // call: foo()
    /^[\p{L}_$][\p{L}\p{N}_$]*(?:(?:\.|::|->)[\p{L}_$][\p{L}\p{N}_$]*)+(?:\(\))?$/u.test(token) || // os.path, std::vector
    /^[a-z_$]+[a-z\p{N}]*_[\p{L}\p{N}_]+$/u.test(token) || // snake_case
    /^[a-z]+[a-z\p{N}]*[A-Z][\p{L}\p{N}]*$/u.test(token) // camelCase
  );
}

/**
 * Whether a capitalized word names something. Acronyms and mixed case (CPU, PyTorch) always do.
 * In mid-sentence a capital is a strong signal: only grammatical words are excused (title case).
 * At a sentence start the capital says nothing, so common words and words with common English
 * endings ("Loading", "Refer", "Nevertheless") are excused; "Paris is ..." still counts.
 */
function isName(word: string, sentenceStart: boolean): boolean {
  if (word.length === 0 || !/^\p{Lu}/u.test(word) || word === 'I') return false;
  if (/^\p{Lu}[\p{Lu}\p{N}]+s?$/u.test(word) || /\p{Ll}\p{Lu}/u.test(word)) return true;
  const lower = word.toLowerCase();
  if (FUNCTION_WORDS.has(lower)) return false;
  if (!sentenceStart) return true;
  return !COMMON_WORDS.has(lower) && !(lower.length >= 6 && ENGLISH_ENDINGS.test(lower));
}

/** True when only opening punctuation stands between the token and a sentence boundary. */
function atSentenceStart(text: string, index: number): boolean {
  const before = text.slice(0, index);
  return /(?:^|[.?!:;]\s|\n)[\s"'“‘([*#>-]*$/u.test(before) || /^[\s\d.)]*$/.test(before);
}

const ENGLISH_ENDINGS = /(?:ing|ed|ly|tion|sion|ment|ness|ity|ive|ize|ise|able|ible|ers|ies|ous|ful|less)$/;

function absentFrom(entities: readonly string[], other: string): string[] {
  const otherLower = other.toLowerCase();
  const otherWords = new Set(
    [
      ...(otherLower.match(/[\p{L}\p{N}_$.:]+/gu) ?? []),
      ...otherLower.split(/\s+/).map(trimPunctuation),
    ].flatMap(wordForms),
  );
  const otherCompact = otherLower.replace(/[^\p{L}\p{N}]/gu, '');
  const otherAcronyms = acronymsOf(other);
  const missing = new Set<string>();
  for (const written of entities) {
    const entity = written.toLowerCase();
    if (wordForms(entity).some((form) => otherWords.has(form))) continue;
    const compact = entity.replace(/[^\p{L}\p{N}]/gu, '');
    if (compact.length >= 3 && otherCompact.includes(compact)) continue;
    if (otherAcronyms.has(compact)) continue;
    // "JavaScript" here, "JS" there.
    const ownAcronym = [...acronymsOf(written)].find((acronym) => acronym.length >= 2);
    if (ownAcronym && otherWords.has(ownAcronym)) continue;
    missing.add(entity);
  }
  return [...missing];
}

function trimPunctuation(token: string): string {
  return token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

function wordForms(word: string): string[] {
  const trimmed = word.replace(/[.:]+$/, '');
  return [trimmed, singular(trimmed)];
}

/** Acronyms the words of a text could stand for: "Hugging Face" -> "hf", "JavaScript" -> "js". */
function acronymsOf(text: string): Set<string> {
  const acronyms = new Set<string>();
  const capitalRuns = text.match(/(?:\p{Lu}\p{Ll}+\s+){1,4}\p{Lu}\p{Ll}+/gu) ?? [];
  for (const run of capitalRuns) {
    const initials = run.split(/\s+/).map((word) => word[0]!.toLowerCase());
    for (let start = 0; start < initials.length; start++) {
      for (let end = start + 2; end <= initials.length; end++)
        acronyms.add(initials.slice(start, end).join(''));
    }
  }
  for (const camel of text.match(/\p{Lu}?\p{Ll}+(?:\p{Lu}\p{Ll}*)+/gu) ?? []) {
    acronyms.add((camel.match(/\p{Lu}|^\p{Ll}/gu) ?? []).join('').toLowerCase());
  }
  return acronyms;
}
