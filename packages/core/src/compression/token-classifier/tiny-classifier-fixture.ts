/**
 * Test fixture: writes a tiny token classifier in the LLMLingua-2 layout (model.onnx +
 * tokenizer.json). The model is one Gather: each vocabulary id has fixed [drop, keep] logits, so
 * tests know which words it keeps. Written with the shared ONNX writer (`util/onnx-protobuf`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { floatTensor, node, ONNX_INT64, onnxModel, valueInfo } from '../../util/onnx-protobuf';

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

function gatherModel(vocabulary: number, logits: number[]): Uint8Array {
  return onnxModel({
    graphName: 'tiny_token_classifier',
    nodes: [node('Gather', ['logit_table', 'input_ids'], ['logits'], 'gather')],
    initializers: [floatTensor('logit_table', [vocabulary, 2], logits)],
    inputs: [
      valueInfo('input_ids', ['batch', 'sequence'], ONNX_INT64),
      valueInfo('attention_mask', ['batch', 'sequence'], ONNX_INT64),
    ],
    outputs: [valueInfo('logits', ['batch', 'sequence', 2])],
    opset: 13,
    producer: 'tokenomics-test',
  });
}
