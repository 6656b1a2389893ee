/**
 * What must survive compression unchanged. Identifiers and numbers are atoms: lossless passes
 * never rewrite them, token pruning never drops them, and a passage that carries one the
 * question mentions is kept whole.
 */
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const URL = /\b(?:https?|ftp|wss?):\/\/[^\s<>"'`)\]]+/gi;
/** Long opaque tokens: API keys, hashes, base64 ids (letters and digits mixed, 16+ chars). */
const KEY = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}\b/g;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const NUMBER = /(?<![\p{L}\p{N}])[-+]?\$?\d[\d,]*(?:\.\d+)?%?(?![\p{L}\p{N}])/gu;

/** The identifiers (UUIDs, URLs, keys, e-mail addresses) in a text, in order of appearance. */
export function findIdentifiers(text: string): string[] {
  const found: string[] = [];
  for (const pattern of [UUID, URL, KEY, EMAIL]) {
    for (const match of text.matchAll(pattern)) found.push(match[0]);
  }
  return found;
}

/** The numbers in a text ("1901", "150,782", "$0.50", "3.75", "12%"). */
export function findNumbers(text: string): string[] {
  return Array.from(text.matchAll(NUMBER), (match) => match[0]);
}

/** True when a word carries a digit or is (part of) an identifier: token pruning must keep it. */
export function isAtomWord(word: string): boolean {
  if (/\d/.test(word)) return true;
  UUID.lastIndex = 0;
  URL.lastIndex = 0;
  KEY.lastIndex = 0;
  EMAIL.lastIndex = 0;
  return UUID.test(word) || URL.test(word) || KEY.test(word) || EMAIL.test(word);
}

/**
 * Final-answer statements of few-shot examples ("So the answer is (B).", "#### 42"): the labels
 * that make the examples worth sending, so they are kept by default.
 */
export const DEFAULT_KEEP_PATTERNS: readonly RegExp[] = [/\bthe (?:final )?answer is\b/i, /^#### /m];
