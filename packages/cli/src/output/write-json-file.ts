import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `value` as indented JSON, creating the folder if needed. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
