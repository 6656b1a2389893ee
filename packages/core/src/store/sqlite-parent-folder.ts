import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates the folder a SQLite file will live in (`.tokenomics/` for `.tokenomics/cache.sqlite`),
 * as users expect from a path they name: SQLite itself creates the file but not its folder.
 * In-memory databases and `file:` URIs are left alone.
 */
export function createParentFolder(path: string): void {
  if (path === '' || path === ':memory:' || path.startsWith('file:')) return;
  mkdirSync(dirname(path), { recursive: true });
}
