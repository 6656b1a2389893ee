/**
 * A small seeded generator (xoshiro128** over a SplitMix32-expanded seed), so every random choice
 * the router makes — Thompson samples, the random baseline, judge sampling — repeats under a seed.
 * Math.random cannot be seeded.
 */
export type SeededRandom = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
};

export function createSeededRandom(seed: number = Date.now()): SeededRandom {
  let mixer = seed >>> 0;
  const splitMix = (): number => {
    mixer = (mixer + 0x9e3779b9) >>> 0;
    let value = mixer;
    value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
    value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
    return (value ^ (value >>> 16)) >>> 0;
  };
  let s0 = splitMix();
  let s1 = splitMix();
  let s2 = splitMix();
  let s3 = splitMix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  const nextUint = (): number => {
    const result = Math.imul(rotate(Math.imul(s1, 5), 7), 9) >>> 0;
    const shifted = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= shifted;
    s3 = rotate(s3, 11);
    return result;
  };
  const next = (): number => nextUint() / 4_294_967_296;

  // Box-Muller yields two normals per pair of uniforms; the second is kept for the next call.
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    let u = next();
    while (u === 0) u = next();
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  return { next, normal };
}

function rotate(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
