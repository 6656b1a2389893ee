import type { LookAlikeKind, SourceRow } from './pair-types';
import type { Random } from './random';

/**
 * Templated question families for the look-alikes the public data lacks (numbers, conversion
 * direction, routes, comparisons). Each row renders one slot assignment in two phrasings
 * (a positive pair) and derives look-alikes by changing one slot or swapping two. Phrasings
 * and slot values were written for this project.
 */
export function templateRows(random: Random, count: number): SourceRow[] {
  const rows: SourceRow[] = [];
  for (let index = 0; index < count; index++) {
    const family = FAMILIES[index % FAMILIES.length]!;
    const row = family(random);
    rows.push({ id: `templates:${index}`, source: 'templates', ...row });
  }
  return rows;
}

type Rendered = {
  anchor: string;
  paraphrases: string[];
  lookAlikes: Array<{ text: string; kind: LookAlikeKind }>;
};

const CITIES = [
  'Paris',
  'Berlin',
  'Madrid',
  'Rome',
  'Tokyo',
  'Chicago',
  'Toronto',
  'Sydney',
  'Cairo',
  'Lima',
  'Oslo',
  'Denver',
  'Boston',
  'Dublin',
  'Seoul',
  'Mumbai',
];
const COUNTRIES = [
  'France',
  'Germany',
  'Spain',
  'Italy',
  'Japan',
  'Canada',
  'Brazil',
  'Kenya',
  'Norway',
  'Chile',
  'India',
  'Egypt',
  'Mexico',
  'Poland',
];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'INR'];
const LANGUAGES = ['Rust', 'Java', 'Python', 'Ruby', 'Kotlin', 'Swift', 'Haskell', 'Elixir', 'Scala', 'Perl'];
const UNITS: Array<[string, string]> = [
  ['miles', 'kilometers'],
  ['pounds', 'kilograms'],
  ['inches', 'centimeters'],
  ['gallons', 'liters'],
  ['feet', 'meters'],
  ['ounces', 'grams'],
];
const CATEGORIES: Array<[string, string]> = [
  ['fruits', 'acidic'],
  ['metals', 'magnetic'],
  ['animals', 'venomous'],
  ['plants', 'edible'],
  ['gases', 'flammable'],
  ['fish', 'freshwater'],
];
const LANGUAGE_PAIRS: Array<[string, string]> = [
  ['English', 'French'],
  ['Spanish', 'German'],
  ['Italian', 'Portuguese'],
  ['Dutch', 'Swedish'],
  ['Japanese', 'Korean'],
];

function twoDifferent<T>(random: Random, items: readonly T[]): [T, T] {
  const first = random.pick(items);
  let second = random.pick(items);
  while (second === first) second = random.pick(items);
  return [first, second];
}

function otherNumber(random: Random, value: number, min: number, max: number): number {
  let other = value;
  while (other === value) other = random.integer(min, max);
  return other;
}

const FAMILIES: Array<(random: Random) => Rendered> = [
  (random) => {
    const percent = random.pick([5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 75]);
    const amount = random.integer(2, 90) * 10;
    const phrasings = [
      (p: number, n: number) => `What is ${p}% of ${n}?`,
      (p: number, n: number) => `Calculate ${p} percent of ${n}.`,
      (p: number, n: number) => `How much is ${p}% of ${n}?`,
      (p: number, n: number) => `${p} percent of ${n} equals what?`,
    ];
    const [first, second] = twoDifferent(random, phrasings);
    return {
      anchor: first(percent, amount),
      paraphrases: [second(percent, amount)],
      lookAlikes: [
        { text: second(otherNumber(random, percent, 2, 60), amount), kind: 'number' },
        { text: first(percent, otherNumber(random, amount / 10, 2, 90) * 10), kind: 'number' },
      ],
    };
  },
  (random) => {
    const [from, to] = random.shuffle(random.pick(UNITS));
    const amount = random.integer(2, 500);
    const phrasings = [
      (n: number, a: string, b: string) => `Convert ${n} ${a} to ${b}.`,
      (n: number, a: string, b: string) => `How do I convert ${n} ${a} into ${b}?`,
      (n: number, a: string, b: string) => `What is ${n} ${a} converted to ${b}?`,
    ];
    const [first, second] = twoDifferent(random, phrasings);
    return {
      anchor: first(amount, from!, to!),
      paraphrases: [second(amount, from!, to!)],
      lookAlikes: [
        { text: second(amount, to!, from!), kind: 'order' },
        { text: first(otherNumber(random, amount, 2, 500), from!, to!), kind: 'number' },
      ],
    };
  },
  (random) => {
    const [from, to] = twoDifferent(random, CURRENCIES);
    const [, third] = twoDifferent(
      random,
      CURRENCIES.filter((code) => code !== from),
    );
    const phrasings = [
      (a: string, b: string) => `What is the exchange rate from ${a} to ${b}?`,
      (a: string, b: string) => `How do I convert ${a} to ${b}?`,
      (a: string, b: string) => `Current ${a} to ${b} exchange rate`,
    ];
    const [first, second] = twoDifferent(random, phrasings);
    return {
      anchor: first(from, to),
      paraphrases: [second(from, to)],
      lookAlikes: [
        { text: second(to, from), kind: 'order' },
        {
          text: first(from, third === to ? CURRENCIES.find((code) => code !== from && code !== to)! : third),
          kind: 'entity',
        },
      ],
    };
  },
  (random) => {
    const [from, to] = twoDifferent(random, CITIES);
    const phrasings = [
      (a: string, b: string) => `How long is the flight from ${a} to ${b}?`,
      (a: string, b: string) => `What is the flight time from ${a} to ${b}?`,
      (a: string, b: string) => `How many hours does it take to fly from ${a} to ${b}?`,
    ];
    const [first, second] = twoDifferent(random, phrasings);
    const other =
      CITIES.find((city) => city !== from && city !== to && random.chance(0.3)) ??
      CITIES.find((city) => city !== from && city !== to)!;
    return {
      anchor: first(from, to),
      paraphrases: [second(from, to)],
      lookAlikes: [
        { text: second(to, from), kind: 'order' },
        { text: first(from, other), kind: 'entity' },
      ],
    };
  },
  (random) => {
    const [left, right] = twoDifferent(random, LANGUAGES);
    const phrasings = [
      (a: string, b: string, faster: string) => `Is ${a} ${faster} than ${b}?`,
      (a: string, b: string, faster: string) => `Does ${a} run ${faster} than ${b}?`,
      (a: string, b: string, faster: string) => `Is code written in ${a} ${faster} than code in ${b}?`,
    ];
    const [first, second] = twoDifferent(random, phrasings);
    return {
      anchor: first(left, right, 'faster'),
      paraphrases: [second(left, right, 'faster')],
      lookAlikes: [
        { text: second(right, left, 'faster'), kind: 'order' },
        { text: first(left, right, 'slower'), kind: 'antonym' },
      ],
    };
  },
  (random) => {
    const country = random.pick(COUNTRIES);
    const year = random.integer(1950, 2023);
    const phrasings = [
      (c: string, y: number) => `What was the population of ${c} in ${y}?`,
      (c: string, y: number) => `How many people lived in ${c} in ${y}?`,
      (c: string, y: number) => `In ${y}, what was the population of ${c}?`,
    ];
    const [first, second] = twoDifferent(random, phrasings);
    return {
      anchor: first(country, year),
      paraphrases: [second(country, year)],
      lookAlikes: [
        { text: second(country, otherNumber(random, year, 1950, 2023)), kind: 'number' },
        {
          text: first(
            twoDifferent(
              random,
              COUNTRIES.filter((c) => c !== country),
            )[0],
            year,
          ),
          kind: 'entity',
        },
      ],
    };
  },
  (random) => {
    const [category, quality] = random.pick(CATEGORIES);
    const phrasings = [
      (c: string, q: string, not: boolean) => `Which ${c} are ${not ? 'not ' : ''}${q}?`,
      (c: string, q: string, not: boolean) => `List the ${c} that are ${not ? 'not ' : ''}${q}.`,
      (c: string, q: string, not: boolean) => `Name some ${c} that ${not ? "aren't" : 'are'} ${q}.`,
    ];
    const [first, second] = twoDifferent(random, phrasings);
    const negated = random.chance(0.5);
    return {
      anchor: first(category, quality, negated),
      paraphrases: [second(category, quality, negated)],
      lookAlikes: [{ text: second(category, quality, !negated), kind: 'negation' }],
    };
  },
  (random) => {
    const [left, right] = twoDifferent(random, LANGUAGES);
    // Symmetric: the swapped order is a paraphrase, not a look-alike.
    const phrasings = [
      (a: string, b: string) => `What is the difference between ${a} and ${b}?`,
      (a: string, b: string) => `How does ${a} differ from ${b}?`,
      (a: string, b: string) => `${a} vs ${b}: what are the differences?`,
    ];
    const [first, second] = twoDifferent(random, phrasings);
    const third = LANGUAGES.find((language) => language !== left && language !== right)!;
    return {
      anchor: first(left, right),
      paraphrases: [second(right, left)],
      lookAlikes: [{ text: second(left, third), kind: 'entity' }],
    };
  },
  (random) => {
    const [from, to] = random.shuffle(random.pick(LANGUAGE_PAIRS));
    const phrase = random.pick([
      'good morning',
      'thank you very much',
      'where is the station',
      'see you tomorrow',
    ]);
    const phrasings = [
      (a: string, b: string) => `Translate "${phrase}" from ${a} to ${b}.`,
      (a: string, b: string) =>
        `How do you say "${phrase}" in ${b} if the text is ${a}? Translate ${a} into ${b}.`,
      (a: string, b: string) => `Please translate "${phrase}" from ${a} into ${b}.`,
    ];
    const [first, second] = twoDifferent(random, phrasings);
    return {
      anchor: first(from!, to!),
      paraphrases: [second(from!, to!)],
      lookAlikes: [{ text: second(to!, from!), kind: 'order' }],
    };
  },
];
