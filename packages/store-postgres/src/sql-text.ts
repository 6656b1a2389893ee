/**
 * PostgreSQL text cannot hold NUL characters, which the cache uses in its scope tags. Tags are
 * stored percent-escaped (`%` → `%25`, NUL → `%00`), which is reversible and keeps equal tags
 * equal, so tag lookups still run on the indexed column.
 */
export function toSqlText(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\u0000', '%00');
}

export function fromSqlText(text: string): string {
  return text.replaceAll('%00', '\u0000').replaceAll('%25', '%');
}
