/**
 * A SentencePiece Unigram tokenizer read from a Hugging Face `tokenizer.json` (the format the
 * XLM-RoBERTa models of LLMLingua-2 ship): NFKC normalization, whitespace split with a '▁'
 * prefix per word, and Viterbi segmentation by piece scores. The precompiled character map of
 * the original is approximated by NFKC, which agrees on ordinary text.
 */
import { ClassifierModelError } from './classifier-model-error';

export type UnigramTokenizerJson = {
  model: { type: string; vocab: Array<[string, number]>; unk_id?: number | null };
  added_tokens?: Array<{ id: number; content: string; special?: boolean }>;
};

export class UnigramTokenizer {
  readonly bosId: number | undefined;
  readonly eosId: number | undefined;
  readonly unknownId: number;
  private readonly pieces = new Map<string, { id: number; score: number }>();
  private readonly longestPiece: number;
  private readonly unknownScore: number;

  constructor(json: UnigramTokenizerJson) {
    if (json.model?.type !== 'Unigram') {
      throw new ClassifierModelError(
        `tokenizer.json has a ${json.model?.type} model; only Unigram is supported`,
      );
    }
    let longest = 1;
    let lowest = 0;
    json.model.vocab.forEach(([piece, score], id) => {
      this.pieces.set(piece, { id, score });
      longest = Math.max(longest, piece.length);
      lowest = Math.min(lowest, score);
    });
    this.longestPiece = longest;
    this.unknownScore = lowest - 10;
    const added = new Map((json.added_tokens ?? []).map((token) => [token.content, token.id]));
    this.bosId = added.get('<s>') ?? this.pieces.get('<s>')?.id;
    this.eosId = added.get('</s>') ?? this.pieces.get('</s>')?.id;
    this.unknownId = json.model.unk_id ?? added.get('<unk>') ?? 0;
  }

  /** Pieces of a text; '▁' starts each whitespace-separated word. Special tokens are not added. */
  tokenize(text: string): string[] {
    const pieces: string[] = [];
    for (const word of text.normalize('NFKC').split(/\s+/)) {
      if (word.length > 0) pieces.push(...this.segment(`▁${word}`));
    }
    return pieces;
  }

  ids(pieces: readonly string[]): number[] {
    return pieces.map((piece) => this.pieces.get(piece)?.id ?? this.unknownId);
  }

  /** Best-scoring split of one word into vocabulary pieces (unknown characters stand alone). */
  private segment(word: string): string[] {
    const characters = Array.from(word);
    const best: Array<{ score: number; start: number }> = [{ score: 0, start: 0 }];
    for (let end = 1; end <= characters.length; end += 1) {
      let choice = { score: Number.NEGATIVE_INFINITY, start: end - 1 };
      for (let start = Math.max(0, end - this.longestPiece); start < end; start += 1) {
        const piece = characters.slice(start, end).join('');
        const entry = this.pieces.get(piece);
        const score = entry ? entry.score : end - start === 1 ? this.unknownScore : undefined;
        if (score === undefined) continue;
        const total = best[start]!.score + score;
        if (total > choice.score) choice = { score: total, start };
      }
      best.push(choice);
    }
    const out: string[] = [];
    for (let end = characters.length; end > 0; end = best[end]!.start) {
      out.unshift(characters.slice(best[end]!.start, end).join(''));
    }
    return out;
  }
}
