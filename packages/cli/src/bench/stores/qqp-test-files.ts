import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nearbyUnitVector, randomUnitVector } from '../random-vectors';

/** Labelled pairs and a `--embedding-cache` file for their questions: topics of near vectors. */
export async function writeQuestionFiles(directory: string, pairs: number) {
  const pairsFile = join(directory, 'pairs.jsonl');
  const embeddingFile = join(directory, 'vectors.bin');
  const lines: string[] = [];
  const records: Buffer[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const a = `How do I fix problem ${pair} in topic ${pair % 20}?`;
    const b = `What is the fix for issue ${pair} of topic ${pair % 20}?`;
    lines.push(JSON.stringify({ a, b, label: 1 }));
    for (const [offset, text] of [a, b].entries()) {
      const vector = nearbyUnitVector(randomUnitVector(512, 5, pair % 20), 0.8, 9, pair * 2 + offset);
      records.push(createHash('sha1').update(text).digest(), Buffer.from(vector.buffer));
    }
  }
  await writeFile(pairsFile, `${lines.join('\n')}\n`);
  await writeFile(embeddingFile, Buffer.concat(records));
  return { pairsFile, embeddingFile };
}
