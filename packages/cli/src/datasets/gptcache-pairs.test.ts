import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../commands/run-cli';
import { convertGptCachePairs } from './gptcache-pairs';
import { parseLabelledPairs } from './labelled-pairs';

const records = [
  { origin: 'How do I install Python on Windows?', similar: 'What is the way to install Python on Windows?' },
  {
    origin: 'How do I install Node.js on Windows?',
    similar: 'What is the way to set up Node.js on Windows?',
  },
  { origin: 'What is the boiling point of water?', similar: 'At what temperature does water boil?' },
];

describe('convertGptCachePairs', () => {
  it('turns every {origin, similar} record into a should-hit pair', () => {
    expect(convertGptCachePairs(records)).toEqual(
      records.map((record) => ({ a: record.origin, b: record.similar, label: 1 })),
    );
  });

  it('adds one should-miss pair per record, using the most similar other record', () => {
    const pairs = convertGptCachePairs(records, { negatives: true });
    const negatives = pairs.filter((pair) => pair.label === 0);
    expect(negatives).toHaveLength(3);
    // The Python question's closest other record is the Node.js one, a real look-alike.
    expect(negatives[0]).toEqual({ a: records[0]!.origin, b: records[1]!.similar, label: 0 });
    for (const negative of negatives) {
      const own = records.find((record) => record.origin === negative.a)!;
      expect(negative.b).not.toBe(own.similar);
    }
  });

  it('never pairs a record with a duplicate of itself as a negative', () => {
    const duplicated = [...records, { ...records[0]! }];
    const negatives = convertGptCachePairs(duplicated, { negatives: true }).filter(
      (pair) => pair.label === 0,
    );
    for (const negative of negatives) {
      expect(negative.b === records[0]!.similar && negative.a === records[0]!.origin).toBe(false);
    }
  });
});

describe('tokenomics convert gptcache', () => {
  it('writes pairs JSONL that the pairs reader accepts', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-convert-'));
    const input = join(directory, 'mock_data.json');
    const output = join(directory, 'pairs.jsonl');
    await writeFile(input, JSON.stringify(records));
    const messages: string[] = [];
    const code = await runCli(['convert', 'gptcache', input, '--negatives', '--out', output], {
      out: (text) => messages.push(text),
      err: (text) => messages.push(text),
    });
    expect(code).toBe(0);
    const pairs = parseLabelledPairs(await readFile(output, 'utf8'));
    expect(pairs).toHaveLength(6);
    expect(messages.join('\n')).toContain('3 should hit, 3 should miss');
  });

  it('fails with a usage error for an unknown format', async () => {
    const errors: string[] = [];
    const code = await runCli(['convert', 'faiss', 'x.json'], {
      out: () => {},
      err: (text) => errors.push(text),
    });
    expect(code).toBe(2);
    expect(errors.join('\n')).toContain('Unknown format "faiss"');
  });
});
