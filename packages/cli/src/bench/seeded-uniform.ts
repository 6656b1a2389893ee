/**
 * Seeded uniform [0, 1) numbers (mulberry32): folds, training order, random vectors and built
 * pairs repeat exactly under a seed on any machine. (The router engine has its own generator,
 * `createSeededRandom`; changing this one would change every committed benchmark and model.)
 */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
