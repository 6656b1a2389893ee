export type CircuitBreakerOptions = {
  /** Consecutive provider failures of a tier that open its circuit. Default 5. */
  failureThreshold?: number;
  /** Milliseconds an open circuit stays open before the tier is tried again. Default 30,000. */
  cooldownMs?: number;
};

type TierCircuit = { failures: number; openedAt?: number };

/**
 * One circuit per tier: after `failureThreshold` provider failures in a row the tier is skipped
 * for `cooldownMs`; then it is tried again (half-open), and one more failure re-opens it at once
 * while a success closes it.
 */
export class TierCircuitBreakers {
  private readonly circuits = new Map<string, TierCircuit>();
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;

  constructor(
    options: CircuitBreakerOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.failureThreshold = Math.max(1, Math.floor(options.failureThreshold ?? 5));
    this.cooldownMs = Math.max(0, options.cooldownMs ?? 30_000);
  }

  /** True while the tier's circuit is open (its cool-down has not passed). */
  isOpen(tierId: string): boolean {
    const openedAt = this.circuits.get(tierId)?.openedAt;
    return openedAt !== undefined && this.now() - openedAt < this.cooldownMs;
  }

  recordSuccess(tierId: string): void {
    this.circuits.delete(tierId);
  }

  recordFailure(tierId: string): void {
    const circuit = this.circuits.get(tierId) ?? { failures: 0 };
    circuit.failures++;
    // A half-open circuit (cool-down over) re-opens on its first failure.
    const halfOpen = circuit.openedAt !== undefined;
    if (halfOpen || circuit.failures >= this.failureThreshold) circuit.openedAt = this.now();
    this.circuits.set(tierId, circuit);
  }
}
