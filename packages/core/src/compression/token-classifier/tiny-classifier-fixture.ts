/**
 * Test fixture: writes a tiny token classifier in the LLMLingua-2 layout (model.onnx +
 * tokenizer.json). The model is one Gather: each vocabulary id has fixed [drop, keep] logits, so
 * tests know which words it keeps. The verifier's ONNX writer only emits dense float layers, so
 * this writes the few protobuf fields a Gather over int64 ids needs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TinyClassifierWord = { piece: string; keepLogit: number };

export function writeTinyClassifier(words: readonly TinyClassifierWord[]): string {
  const folder = mkdtempSync(join(tmpdir(), 'tiny-classifier-'));
  const special = ['<s>', '<pad>', '</s>', '<unk>'];
  const pieces: Array<[string, number]> = [...special.map((piece): [string, number] => [piece, 0])];
  const logits: number[] = special.flatMap(() => [0, 0]);
  for (const word of words) {
    pieces.push([word.piece, -1]);
    logits.push(0, word.keepLogit);
  }
  // Single characters so any text tokenizes; neutral logits.
  for (const character of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?-/()$%\'"') {
    for (const piece of [character, `▁${character}`]) {
      if (pieces.some(([existing]) => existing === piece)) continue;
      pieces.push([piece, -8]);
      logits.push(0, 0);
    }
  }
  const tokenizer = {
    model: { type: 'Unigram', unk_id: 3, vocab: pieces },
    added_tokens: special.map((content, id) => ({ id, content, special: true })),
  };
  writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(join(folder, 'model.onnx'), gatherModel(pieces.length, logits));
  return folder;
}

const FLOAT = 1;
const INT64 = 7;

function gatherModel(vocabulary: number, logits: number[]): Uint8Array {
  const table = message([
    varintField(1, vocabulary),
    varintField(1, 2),
    varintField(2, FLOAT),
    stringField(8, 'logit_table'),
    bytesField(9, new Uint8Array(Float32Array.from(logits).buffer)),
  ]);
  const gather = message([
    stringField(1, 'logit_table'),
    stringField(1, 'input_ids'),
    stringField(2, 'logits'),
    stringField(3, 'gather'),
    stringField(4, 'Gather'),
  ]);
  const graph = message([
    bytesField(1, gather),
    stringField(2, 'tiny_token_classifier'),
    bytesField(5, table),
    bytesField(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    bytesField(11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])),
    bytesField(12, valueInfo('logits', FLOAT, ['batch', 'sequence', 2])),
  ]);
  return message([
    varintField(1, 8),
    stringField(2, 'tokenomics-test'),
    bytesField(7, graph),
    bytesField(8, message([stringField(1, ''), varintField(2, 13)])),
  ]);
}

function valueInfo(name: string, elementType: number, dims: Array<string | number>): Uint8Array {
  const shape = message(
    dims.map((dim) =>
      bytesField(
        1,
        typeof dim === 'number' ? message([varintField(1, dim)]) : message([stringField(2, dim)]),
      ),
    ),
  );
  const tensorType = message([varintField(1, elementType), bytesField(2, shape)]);
  return message([stringField(1, name), bytesField(2, message([bytesField(1, tensorType)]))]);
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

function varintField(field: number, value: number): Uint8Array {
  return Uint8Array.from([...varint(field << 3), ...varint(value)]);
}

function bytesField(field: number, value: Uint8Array): Uint8Array {
  return message([Uint8Array.from([...varint((field << 3) | 2), ...varint(value.length)]), value]);
}

function stringField(field: number, value: string): Uint8Array {
  return bytesField(field, new TextEncoder().encode(value));
}

function message(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
