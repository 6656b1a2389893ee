import { describe, expect, it } from 'vitest';
import { orderGuard } from './order-guard';

describe('orderGuard', () => {
  it('fails a conversion, route or comparison asked the other way round', () => {
    expect(orderGuard('Convert USD to EUR', 'Convert EUR to USD').pass).toBe(false);
    expect(
      orderGuard('How do I convert a list to a string?', 'How do I convert a string to a list?').pass,
    ).toBe(false);
    expect(
      orderGuard('Flights from New York to Los Angeles', 'Flights from Los Angeles to New York').pass,
    ).toBe(false);
    expect(orderGuard('Is Rust faster than Java?', 'Is Java faster than Rust?').pass).toBe(false);
    expect(orderGuard('Translate English into French', 'translate french into english').pass).toBe(false);
    expect(
      orderGuard('Is code in Rust faster than code in Python?', 'Does Python run faster than Rust?').pass,
    ).toBe(false);
    expect(
      orderGuard('Convert a list to a string in Python', 'convert a string to a list in Python').pass,
    ).toBe(false);
    expect(orderGuard('Convert 10 miles to kilometers', 'Convert 10 kilometers to miles').pass).toBe(false);
    expect(orderGuard('USD to EUR', 'EUR to USD').pass).toBe(false);
  });

  it('passes symmetric comparisons in either order', () => {
    expect(
      orderGuard('What is the difference between TCP and UDP?', 'Difference between UDP and TCP?').pass,
    ).toBe(true);
    expect(orderGuard('Python vs Java for beginners', 'Java vs Python for beginners').pass).toBe(true);
    expect(orderGuard('Compare cats and dogs', 'compare dogs and cats').pass).toBe(true);
  });

  it('passes the same direction in other words, and ignores "to" as an infinitive', () => {
    expect(orderGuard('Best way to travel from Paris to Rome', 'How do I get to Rome from Paris?').pass).toBe(
      true,
    );
    expect(orderGuard('Use streaming to work with data', 'Work with data by using streaming').pass).toBe(
      true,
    );
    expect(orderGuard('USD to EUR rate', 'exchange rate from USD to EUR').pass).toBe(true);
  });
});
