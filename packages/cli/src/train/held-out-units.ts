import { createHash } from 'node:crypto';

/** How a leave-out report holds examples out. */
export type HeldOutUnits = {
  /** Per example: the unit it is held out with. */
  units: string[];
  description: string;
};

/**
 * Leave one group out when the examples come from two groups or more (task families, product
 * areas, tenants); otherwise five folds split by prompt text (the same text always in one fold).
 */
export function heldOutUnits(examples: readonly { group: string; text: string }[]): HeldOutUnits {
  const groups = [...new Set(examples.map((example) => example.group))];
  if (groups.length >= 2) {
    return {
      units: examples.map((example) => example.group),
      description: `leave one group out (${groups.join(', ')})`,
    };
  }
  return {
    units: examples.map((example) => `fold-${textFold(example.text, 5)}`),
    description: '5 folds split by prompt text (one group only)',
  };
}

function textFold(text: string, folds: number): number {
  const digest = createHash('sha1').update(text.trim().toLowerCase()).digest();
  return digest.readUInt32BE(0) % folds;
}
