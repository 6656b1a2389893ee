import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceRow } from './pair-types';

/**
 * GPTCache's paraphrase pairs: `origin` is stored, `similar` should hit it.
 * Rows whose origin repeats elsewhere share an id, so they land in the same split.
 */
export function gptCacheRows(datasets: string): SourceRow[] {
  const file = join(datasets, 'cache', 'gptcache', 'mock_data.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as Array<{ origin: string; similar: string }>;
  return data.map((row, index) => ({
    id: `gptcache:${normalizeForId(row.origin) || index}`,
    source: 'gptcache',
    anchor: row.origin,
    paraphrases: [row.similar],
  }));
}

/**
 * MeanCache: `new_claude.json` gives paraphrased first turns and follow-ups (`*_duplicate`);
 * the main queries of the contextual files give more questions, without paraphrases (they
 * only yield look-alike and unrelated negatives). Context-dependent follow-ups of those files
 * ("What are its types?") are left out: as bare pairs they have no meaning.
 */
export function meanCacheRows(datasets: string): SourceRow[] {
  const folder = join(datasets, 'cache', 'meancache');
  const rows: SourceRow[] = [];
  const seen = new Set<string>();
  const add = (anchor: string, paraphrases: string[], followUp = false) => {
    const id = `meancache:${normalizeForId(anchor)}`;
    if (seen.has(id)) return;
    seen.add(id);
    rows.push({ id, source: 'meancache', anchor, paraphrases, ...(followUp ? { followUp } : {}) });
  };
  const dialogues = JSON.parse(readFileSync(join(folder, 'new_claude.json'), 'utf8')) as Array<
    Record<string, string>
  >;
  for (const dialogue of dialogues) {
    if (dialogue.u0 && dialogue.u0_duplicate) add(dialogue.u0, [dialogue.u0_duplicate]);
    if (dialogue.u1 && dialogue.u1_duplicate) add(dialogue.u1, [dialogue.u1_duplicate], true);
  }
  for (const file of ['contextual_queries.json', 'd1.json', 'context2.json']) {
    const entries = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Array<Record<string, string>>;
    for (const entry of entries) {
      const main = entry['Main Query'];
      if (main) add(main, []);
    }
  }
  return rows;
}

export function normalizeForId(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
