import { getEncodingNameForModel, type TiktokenModel } from 'js-tiktoken/lite';
import { parseModelId } from '../pricing/model-id';

/** The two encodings we count with: every current OpenAI chat model uses one of them. */
export type TokenEncoding = 'o200k_base' | 'cl100k_base';

// Families newer than js-tiktoken's model table (or dated variants it lists one by one) that use o200k_base.
const O200K_FAMILIES = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4)\b/;

/**
 * The encoding to count a model's tokens with. Models outside OpenAI (Claude, Gemini, Llama) have
 * tokenizers of their own that are not shipped offline; cl100k_base is a stand-in whose counts are
 * in the same range, which is what an estimate needs.
 */
export function encodingForModel(model?: string): TokenEncoding {
  if (!model) return 'cl100k_base';
  const name = parseModelId(model).name.toLowerCase();
  if (O200K_FAMILIES.test(name)) return 'o200k_base';
  try {
    return getEncodingNameForModel(name as TiktokenModel) === 'o200k_base' ? 'o200k_base' : 'cl100k_base';
  } catch {
    return 'cl100k_base';
  }
}
