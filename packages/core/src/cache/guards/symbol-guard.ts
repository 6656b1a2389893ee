import { symbolNames } from '../verifier/difference-features';
import { GUARD_PASS, type GuardOutcome } from './guard-types';
import { unmatched } from './words';

/**
 * "C" is not "C#", "Node" is not "Node.js", "GPT-4" is not "GPT-4o": names that carry a symbol or
 * a version must appear in the other text as written (case, hyphens and spaces aside: "Python3" /
 * "python 3" match). Words in a non-Latin script must match exactly too.
 */
export function symbolGuard(stored: string, query: string): GuardOutcome {
  const missing = [...absentFrom(symbolNames(stored), query), ...absentFrom(symbolNames(query), stored)];
  const unread = [
    ...unmatched(otherScripts(stored), otherScripts(query)),
    ...unmatched(otherScripts(query), otherScripts(stored)),
  ];
  if (unread.length > 0)
    return {
      pass: false,
      reason: `words in another script differ: ${unread.map((word) => `"${word}"`).join(', ')}`,
    };
  if (missing.length === 0) return GUARD_PASS;
  return {
    pass: false,
    reason: `names with symbols or versions differ: ${missing.map((name) => `"${name}"`).join(', ')}`,
  };
}

function absentFrom(names: readonly string[], other: string): string[] {
  const otherNames = new Set(symbolNames(other).map(compact));
  const otherText = `${other.toLowerCase().replace(/[-_\s]+/g, '')} `;
  return names.filter((name) => {
    const written = compact(name);
    if (otherNames.has(written)) return false;
    // Written inside a longer token counts only where nothing continues it: "c#" in "c#?", not "c#x".
    for (let at = otherText.indexOf(written); at >= 0; at = otherText.indexOf(written, at + 1)) {
      if (!/[\p{L}\p{N}#+]/u.test(otherText[at + written.length] ?? ' ')) return false;
    }
    return true;
  });
}

/**
 * Words written in a script other than Latin. The offline embedder reads them poorly (two different
 * Japanese or Korean words can embed identically: "What does さあひる mean?" / "What does 啪啪啪啪
 * mean?" have cosine 1.0), so they must match exactly.
 */
function otherScripts(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .match(/[^\s\p{P}\p{S}]*[^\s\p{P}\p{S}\p{N}\p{Script=Latin}\p{M}][^\s\p{P}\p{S}]*/gu) ?? []
  ).map((word) => word.toLowerCase());
}

function compact(name: string): string {
  return name.toLowerCase().replace(/[-_\s]+/g, '');
}
