import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../../args';
import type { ModelPrice } from './replay-record';

/**
 * Reads `--prices`: a JSON file or inline JSON `{"<model>": {"inputPerMillion", "outputPerMillion"}}`
 * (a bare number is a blended price), or `model=24.7,other=0.24` (blended, or `model=in/out`).
 */
export function parsePrices(value: string): Record<string, ModelPrice> {
  const text = existsSync(value) ? readFileSync(value, 'utf8') : value;
  const trimmed = text.trim();
  const prices: Record<string, ModelPrice> = {};
  if (trimmed.startsWith('{')) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      throw new UsageError('--prices is not valid JSON');
    }
    for (const [model, entry] of Object.entries(parsed)) {
      if (typeof entry === 'number') prices[model] = { inputPerMillion: entry, outputPerMillion: entry };
      else {
        const price = entry as Partial<ModelPrice>;
        if (typeof price.inputPerMillion !== 'number' || typeof price.outputPerMillion !== 'number') {
          throw new UsageError(`--prices: "${model}" needs inputPerMillion and outputPerMillion`);
        }
        prices[model] = { inputPerMillion: price.inputPerMillion, outputPerMillion: price.outputPerMillion };
      }
    }
    return prices;
  }
  for (const pair of trimmed.split(',')) {
    const equalsAt = pair.lastIndexOf('=');
    if (equalsAt <= 0) throw new UsageError(`--prices: expected model=price, got "${pair}"`);
    const [input, output = input] = pair
      .slice(equalsAt + 1)
      .split('/')
      .map(Number);
    if (!Number.isFinite(input) || !Number.isFinite(output))
      throw new UsageError(`--prices: bad price in "${pair}"`);
    prices[pair.slice(0, equalsAt).trim()] = { inputPerMillion: input!, outputPerMillion: output! };
  }
  return prices;
}
