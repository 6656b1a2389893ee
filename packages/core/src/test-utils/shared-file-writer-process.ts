/**
 * One writer of the many-processes test, started with `fork` (and tsx, to run from source):
 * `shared-file-writer-process.ts <file> <writer> <entries> <writers> <approximateFrom>`.
 * Writes its entries, reading its own and others' while everyone writes; on 'verify' reads
 * every writer's entries exactly and a share of them by paraphrase; reports to the parent.
 */
import {
  openSharedFileCache,
  paraphrase,
  question,
  type ReadTally,
  readBack,
  writeOne,
} from './shared-file-workload';

const [path = '', writerText = '0', entriesText = '0', writersText = '1', approximateFromText = '1024'] =
  process.argv.slice(2);
const writer = Number(writerText);
const entries = Number(entriesText);
const writers = Number(writersText);

async function main(): Promise<void> {
  const { sqlite, cache, warnings } = await openSharedFileCache(path, Number(approximateFromText));
  let failedWrites = 0;
  const own: ReadTally = { hits: 0, misses: [], wrong: [] };
  const others: ReadTally = { hits: 0, misses: [], wrong: [] };
  for (let index = 0; index < entries; index++) {
    if (!(await writeOne(cache, writer, index))) failedWrites++;
    add(own, await readBack(cache, [{ writer, index }], question));
    const other = {
      writer: (writer + 1 + (index % (writers - 1 || 1))) % writers,
      index: (index * 7) % entries,
    };
    add(others, await readBack(cache, [other], paraphrase));
  }
  process.send?.({ phase: 'written', failedWrites, own, others });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const everyone = [];
  for (let from = 0; from < writers; from++)
    for (let index = 0; index < entries; index++) everyone.push({ writer: from, index });
  const exact = await readBack(cache, everyone, question);
  const semantic = await readBack(
    cache,
    everyone.filter(({ index }) => index % writers === writer),
    paraphrase,
  );
  await sqlite.close();
  const codes = warnings.map((warning) => warning.code);
  process.send?.({ phase: 'verified', exact, semantic, warnings: codes });
}

function add(total: ReadTally, more: ReadTally): void {
  total.hits += more.hits;
  total.misses.push(...more.misses);
  total.wrong.push(...more.wrong);
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
