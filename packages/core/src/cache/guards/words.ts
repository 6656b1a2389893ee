/**
 * Lower-cased word tokens, keeping contractions whole ("don't") and numbers with their
 * decimal point ("3.5"), so guards can look at words without re-tokenizing.
 */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*|\d+(?:\.\d+)+/gu) ?? [];
}

/**
 * A crude singular form, enough to see that "diffusers" and "diffuser" name the same thing.
 * Short words are left alone ("is", "bus", "gas").
 */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us'))
    return word.slice(0, -1);
  return word;
}

/** Multiset difference: items of `left` not matched one-for-one in `right`. */
export function unmatched(left: readonly string[], right: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const item of right) counts.set(item, (counts.get(item) ?? 0) + 1);
  const missing: string[] = [];
  for (const item of left) {
    const count = counts.get(item) ?? 0;
    if (count > 0) counts.set(item, count - 1);
    else missing.push(item);
  }
  return missing;
}
