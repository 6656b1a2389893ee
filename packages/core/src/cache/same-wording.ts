/**
 * Whether two texts are worded the same once case, runs of white space and end punctuation are
 * folded: "How do I reset my password?" and "how do i reset my password". The cache serves such a
 * question without asking the verifier, and verification counts two such answers as agreeing.
 */
export function sameWording(left: string, right: string): boolean {
  return foldWording(left) === foldWording(right);
}

function foldWording(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?.!]+$/u, '')
    .trim();
}
