import type { CacheEntryRecord } from '@tokenomics/core';

/**
 * A cache entry record from the fields of its Redis hash, or why they do not make one (a
 * missing or wrongly typed field, unreadable tags): such an entry is reported and never served.
 */
export function readEntryRecord(key: string, fields: Record<string, string>): CacheEntryRecord | string {
  const { partition, scopeKey, payload, tags, createdAt, expiresAt, size } = fields;
  if (partition === undefined || scopeKey === undefined || payload === undefined)
    return 'missing partition, scope or payload';
  const created = Number(createdAt);
  const bytes = Number(size);
  if (!Number.isFinite(created) || !Number.isFinite(bytes)) return 'createdAt or size is not a number';
  let expires: number | undefined;
  if (expiresAt !== undefined && expiresAt !== '') {
    expires = Number(expiresAt);
    if (!Number.isFinite(expires)) return 'expiresAt is not a number';
  }
  let tagList: unknown;
  try {
    tagList = JSON.parse(tags ?? '[]');
  } catch {
    return 'tags are not JSON';
  }
  if (!Array.isArray(tagList) || !tagList.every((tag) => typeof tag === 'string'))
    return 'tags are not a list of strings';
  return {
    key,
    partition,
    scopeKey,
    payload,
    tags: tagList,
    createdAt: created,
    expiresAt: expires,
    size: bytes,
  };
}
