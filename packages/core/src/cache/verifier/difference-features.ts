import { FUNCTION_WORDS } from '../guards/common-words';
import { extractNumbers } from '../guards/number-guard';
import { singular, unmatched, words } from '../guards/words';

/**
 * What two questions do not share, by kind of word: the verifier's view of the detail that makes a
 * look-alike ask something else. Each kind is compared as a multiset after normalizing the forms
 * that do not change the question (digits vs number words, case, plurals, one-letter typos, filler
 * such as "hey, quick question:"), so a paraphrase differs in none of them and a look-alike usually
 * differs in one.
 */
export type DifferenceProfile = {
  /** Content words (after filler, typo and plural folding) found in only one text. */
  contentOnlyInOne: number;
  /** Words of either text that only matched a word of the other as a one-letter typo. */
  typoMatches: number;
  /** Shared content words in a different relative order (0 = same order, 1 = reversed). */
  orderDiscordance: number;
  /** Numbers, percentages, money, dates (digits and number words). */
  numbers: number;
  /** Ordinals and rank words: second, third, 2nd, last, next, previous. */
  ordinals: number;
  /** Units and currencies, and whether the shared ones appear in the opposite order (a conversion's direction). */
  units: number;
  unitOrderReversed: boolean;
  /** Relative time: today, tonight, tomorrow, last year, this week. */
  relativeTime: number;
  /** Negation and near-negation: not, never, barely, seldom, hardly. */
  negation: number;
  /** Modal verbs that change the question: must, should, may, might (can / could / do are one class). */
  modality: number;
  /** Quantifiers: all, some, each, every, total, average, most, any, none. */
  quantifiers: number;
  /** Question words: what, why, how, when, where, who, which. */
  questionWords: number;
  /** Names carrying symbols (C#, C++, F#, .NET, Node.js), identifiers mixing letters and digits (v2, gpt-4o). */
  symbolNames: number;
  /** Plan, tier and edition words: free, pro, premium, enterprise, basic, plus, business. */
  tiers: number;
  /** Superlatives and comparatives in one text only: largest, best, cheaper, more. */
  degree: number;
};

export function differenceProfile(stored: string, query: string): DifferenceProfile {
  const left = analyse(stored);
  const right = analyse(query);
  const content = alignContent(left.content, right.content);
  return {
    contentOnlyInOne: content.onlyInOne,
    typoMatches: content.typoMatches,
    orderDiscordance: discordance(content.sharedLeft, content.sharedRight),
    numbers: symmetricDifference(extractNumbers(stored), extractNumbers(query)),
    ordinals: symmetricDifference(left.ordinals, right.ordinals),
    units: symmetricDifference(left.units, right.units),
    unitOrderReversed: reversedOrder(left.units, right.units),
    relativeTime: symmetricDifference(left.relativeTime, right.relativeTime),
    negation: Math.abs(left.negation - right.negation),
    modality: symmetricDifference(left.modality, right.modality),
    quantifiers: symmetricDifference(left.quantifiers, right.quantifiers),
    questionWords: symmetricDifference(left.questionWords, right.questionWords),
    symbolNames: symmetricDifference(left.symbolNames, right.symbolNames),
    tiers: symmetricDifference(left.tiers, right.tiers),
    degree: symmetricDifference(left.degree, right.degree),
  };
}

/** The relative-time expressions of a text, normalized ("last year", "tonight"); for the time guard. */
export function relativeTimeExpressions(text: string): string[] {
  return relativeTimeOf(words(text));
}

/** Names with symbols and letter-digit identifiers of a text, lower-cased; for the symbol guard. */
export function symbolNames(text: string): string[] {
  return symbolNamesOf(text);
}

/** Ordinal and rank words of a text (second, 3rd, last, next); for features and the ordinal guard. */
export function ordinalWords(text: string): string[] {
  return ordinalsOf(words(text), text.toLowerCase());
}

/** Near-negations: words that make a statement (almost) false, counted with the plain negations. */
export const NEAR_NEGATIONS: ReadonlySet<string> = new Set([
  'barely',
  'hardly',
  'scarcely',
  'seldom',
  'rarely',
]);

const NEGATION_WORDS = new Set(
  'not no never without except excluding nor neither none nobody nothing nowhere cannot unless'.split(' '),
);

/** Said to be polite or to open a question: never what a question is about. */
const FILLER = new Set(
  `hey hi hello hiya quick question questions please pls plz kindly thanks thank thx just actually basically
  honestly really simply anyone someone somebody guys folks wondering wonder curious tell know help`.split(
    /\s+/,
  ),
);

const ORDINALS = new Set(
  `first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth twentieth hundredth
  last next previous penultimate final`.split(/\s+/),
);

const UNIT_SYNONYMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    c: 'celsius',
    '°c': 'celsius',
    celsius: 'celsius',
    centigrade: 'celsius',
    f: 'fahrenheit',
    '°f': 'fahrenheit',
    fahrenheit: 'fahrenheit',
    kelvin: 'kelvin',
    kg: 'kilogram',
    kilo: 'kilogram',
    kilogram: 'kilogram',
    g: 'gram',
    gram: 'gram',
    mg: 'milligram',
    milligram: 'milligram',
    lb: 'pound',
    lbs: 'pound',
    pound: 'pound',
    oz: 'ounce',
    ounce: 'ounce',
    ton: 'ton',
    tonne: 'ton',
    km: 'kilometer',
    kilometer: 'kilometer',
    kilometre: 'kilometer',
    m: 'meter',
    meter: 'meter',
    metre: 'meter',
    cm: 'centimeter',
    centimeter: 'centimeter',
    centimetre: 'centimeter',
    mm: 'millimeter',
    millimeter: 'millimeter',
    mile: 'mile',
    mi: 'mile',
    ft: 'foot',
    foot: 'foot',
    feet: 'foot',
    inch: 'inch',
    inche: 'inch',
    yard: 'yard',
    l: 'liter',
    liter: 'liter',
    litre: 'liter',
    ml: 'milliliter',
    milliliter: 'milliliter',
    gallon: 'gallon',
    cup: 'cup',
    tablespoon: 'tablespoon',
    teaspoon: 'teaspoon',
    mph: 'mph',
    kph: 'kph',
    second: 'second',
    minute: 'minute',
    hour: 'hour',
    day: 'day',
    week: 'week',
    month: 'month',
    year: 'year',
    byte: 'byte',
    kb: 'kilobyte',
    mb: 'megabyte',
    gb: 'gigabyte',
    tb: 'terabyte',
    usd: 'usd',
    dollar: 'usd',
    $: 'usd',
    eur: 'eur',
    euro: 'eur',
    '€': 'eur',
    gbp: 'gbp',
    sterling: 'gbp',
    '£': 'gbp',
    jpy: 'jpy',
    yen: 'jpy',
    '¥': 'jpy',
    inr: 'inr',
    rupee: 'inr',
    cny: 'cny',
    yuan: 'cny',
    rmb: 'cny',
    btc: 'btc',
    bitcoin: 'btc',
    checking: 'checking-account',
    saving: 'savings-account',
    savings: 'savings-account',
  }),
);

/** Units that are also ordinary words: counted only next to a number or in "X in/to Y" conversions. */
const AMBIGUOUS_UNITS = new Set([
  'c',
  'f',
  'g',
  'm',
  'l',
  'mi',
  'second',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
  'pound',
  'ton',
  'cup',
  'checking',
  'saving',
  'savings',
]);

const TIME_UNITS = new Set([
  'year',
  'month',
  'week',
  'weekend',
  'night',
  'morning',
  'evening',
  'afternoon',
  'quarter',
  'season',
  'semester',
  'decade',
  'century',
  'summer',
  'winter',
  'spring',
  'fall',
  'autumn',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'time',
]);
const TIME_DEICTICS = new Set(['this', 'last', 'next', 'previous', 'coming', 'past']);
const TIME_WORDS = new Set([
  'today',
  'tonight',
  'tomorrow',
  'yesterday',
  'now',
  'currently',
  'recently',
  'ago',
  'soon',
  'upcoming',
  'nowadays',
  'later',
]);

/** Modal classes: "can I" / "could I" / "do I" / "how to" ask the same thing; "must" / "should" / "may" do not. */
const MODAL_CLASS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    must: 'must',
    "mustn't": 'must',
    'have to': 'must',
    'has to': 'must',
    'need to': 'must',
    should: 'should',
    "shouldn't": 'should',
    'ought to': 'should',
    may: 'may',
    might: 'may',
    will: 'will',
    would: 'would',
    "won't": 'will',
    "wouldn't": 'would',
  }),
);

const QUANTIFIERS = new Set([
  'all',
  'some',
  'each',
  'every',
  'total',
  'average',
  'most',
  'any',
  'none',
  'both',
  'either',
  'only',
  'many',
  'few',
  'several',
  'entire',
  'whole',
  'per',
  'mean',
  'median',
  'sum',
  'maximum',
  'minimum',
  'max',
  'min',
]);
const QUESTION_WORDS = new Set(['what', 'why', 'how', 'when', 'where', 'who', 'whom', 'whose', 'which']);
const TIERS = new Set([
  'free',
  'pro',
  'premium',
  'enterprise',
  'basic',
  'plus',
  'business',
  'team',
  'starter',
  'standard',
  'ultimate',
  'professional',
  'personal',
  'family',
  'student',
  'trial',
  'lite',
  'max',
  'mini',
]);
const DEGREE = new Set([
  'more',
  'less',
  'most',
  'least',
  'best',
  'worst',
  'better',
  'worse',
  'largest',
  'smallest',
  'biggest',
  'highest',
  'lowest',
  'cheapest',
  'fastest',
  'slowest',
  'oldest',
  'newest',
  'longest',
  'shortest',
  'greatest',
  'richest',
  'poorest',
  'hottest',
  'coldest',
  'strongest',
  'weakest',
  'easiest',
  'hardest',
  'safest',
  'deepest',
  'tallest',
  'heaviest',
  'lightest',
  'larger',
  'smaller',
  'bigger',
  'higher',
  'lower',
  'cheaper',
  'faster',
  'slower',
  'older',
  'newer',
  'longer',
  'shorter',
  'greater',
  'easier',
  'harder',
  'safer',
  'top',
  'bottom',
]);

type Analysis = {
  content: string[];
  ordinals: string[];
  units: string[];
  relativeTime: string[];
  negation: number;
  modality: string[];
  quantifiers: string[];
  questionWords: string[];
  symbolNames: string[];
  tiers: string[];
  degree: string[];
};

function analyse(text: string): Analysis {
  const lower = text.toLowerCase();
  const tokens = words(text);
  const raw = lower.match(/[^\s]+/g) ?? [];
  const content: string[] = [];
  const quantifiers: string[] = [];
  const questionWords: string[] = [];
  const tiers: string[] = [];
  const degree: string[] = [];
  let negation = 0;
  tokens.forEach((token) => {
    if (QUANTIFIERS.has(token)) quantifiers.push(token);
    if (QUESTION_WORDS.has(token)) questionWords.push(token);
    if (TIERS.has(token)) tiers.push(token);
    if (DEGREE.has(token)) degree.push(token);
    if (NEGATION_WORDS.has(token) || NEAR_NEGATIONS.has(token) || /n['’]t$/.test(token)) negation++;
    if (!FUNCTION_WORDS.has(token) && !FILLER.has(token) && !/^\d/.test(token)) content.push(stem(token));
  });
  return {
    content,
    ordinals: ordinalsOf(tokens, lower),
    units: unitsOf(raw),
    relativeTime: relativeTimeOf(tokens),
    negation,
    modality: modalitiesOf(lower),
    quantifiers,
    questionWords,
    symbolNames: symbolNamesOf(text),
    tiers,
    degree,
  };
}

/** Rank words in order, then numerals with an ordinal suffix as `#n` ("3rd" -> "#3"). */
function ordinalsOf(tokens: readonly string[], lower: string): string[] {
  const ordinals = tokens.filter((token) => ORDINALS.has(token));
  for (const match of lower.matchAll(/\b(\d+)(?:st|nd|rd|th)\b/g)) ordinals.push(`#${match[1]}`);
  return ordinals;
}

/** Plural, past and -ing forms folded, so "killed" meets "kill" and "installing" meets "install". */
function stem(word: string): string {
  const base = singular(word);
  if (base.length > 5 && base.endsWith('ing')) return base.slice(0, -3);
  if (base.length > 4 && base.endsWith('ed')) return base.slice(0, -2);
  return base;
}

function unitsOf(raw: readonly string[]): string[] {
  const units: string[] = [];
  raw.forEach((token, index) => {
    const cleaned = token.replace(/^[("'“‘]+|[)"'”’?.!,;:]+$/g, '');
    // "100°F", "$20", "20kg": the unit glued to the number.
    const glued = cleaned.match(/^([$€£¥])?\d[\d.,]*([a-z°]+)?$/u);
    if (glued) {
      if (glued[1]) units.push(UNIT_SYNONYMS.get(glued[1])!);
      const suffix = glued[2] && UNIT_SYNONYMS.get(glued[2]);
      if (suffix) units.push(suffix);
      return;
    }
    const word = singular(cleaned.replace(/^°/, '°'));
    const unit = UNIT_SYNONYMS.get(cleaned) ?? UNIT_SYNONYMS.get(word);
    if (!unit) return;
    if (AMBIGUOUS_UNITS.has(cleaned) || AMBIGUOUS_UNITS.has(word)) {
      const before = raw[index - 1] ?? '';
      const after = raw[index + 1] ?? '';
      const nearNumber =
        /\d/.test(before) || /^(?:degrees?|°)$/.test(before) || /^(?:degrees?)$/.test(raw[index - 2] ?? '');
      const inConversion =
        /^(?:in|to|into|per|from|against)$/.test(before) || /^(?:in|to|into|per|against)$/.test(after);
      if (!nearNumber && !inConversion) return;
    }
    units.push(unit);
  });
  return units;
}

function relativeTimeOf(tokens: readonly string[]): string[] {
  const found: string[] = [];
  tokens.forEach((token, index) => {
    if (TIME_WORDS.has(token)) found.push(token);
    const next = singular(tokens[index + 1] ?? '');
    if (TIME_DEICTICS.has(token) && TIME_UNITS.has(next)) found.push(`${token} ${next}`);
  });
  return found;
}

function modalitiesOf(lower: string): string[] {
  const found: string[] = [];
  for (const match of lower.matchAll(
    /\b(?:must(?:n't)?|should(?:n't)?|ought to|have to|has to|need to|may|might|will|won't|would(?:n't)?)\b/g,
  )) {
    const modal = MODAL_CLASS.get(match[0]);
    if (modal) found.push(modal);
  }
  return found;
}

function symbolNamesOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SYMBOL_NAME)) found.push(match[1]!.toLowerCase().replace(/\.$/, ''));
  return found;
}

/**
 * .NET; C#, C++, F#, Notepad++; Node.js, Vue.js; letters then digits (v2, gpt-4o, ps5, python3).
 * Tokens that start with a digit ("2nd", "10am", "4k") are numbers, left to the number features.
 */
const SYMBOL_NAME =
  /(?:^|[\s(,;:/"'“‘`])(\.[A-Za-z]\w*|[A-Za-z][\w.]*[#+]+|[A-Za-z]\w*\.(?:js|ts|py|net|io|rb)|[A-Za-z]+[-_]?\d[\w.-]*)(?=$|[\s),;:!?/"'”’`]|\.(?:\s|$))/g;

type ContentAlignment = {
  onlyInOne: number;
  typoMatches: number;
  sharedLeft: string[];
  sharedRight: string[];
};

/**
 * Matches content words one for one, exact first, then a one-letter typo for words of 5+ letters,
 * and returns the shared words in each text's order (for the order feature).
 */
function alignContent(left: readonly string[], right: readonly string[]): ContentAlignment {
  const onlyLeft = unmatched(left, right);
  const onlyRight = unmatched(right, left);
  let typoMatches = 0;
  const remainingRight = [...onlyRight];
  const canonical = new Map<string, string>();
  for (const word of onlyLeft) {
    if (word.length < 5) continue;
    const partner = remainingRight.findIndex((other) => other.length >= 5 && withinOneEdit(word, other));
    if (partner < 0) continue;
    canonical.set(remainingRight[partner]!, word);
    remainingRight.splice(partner, 1);
    typoMatches++;
  }
  const rightCanonical = right.map((word) => canonical.get(word) ?? word);
  const shared = new Set(left.filter((word) => rightCanonical.includes(word)));
  return {
    onlyInOne: onlyLeft.length - typoMatches + remainingRight.length,
    typoMatches,
    sharedLeft: firstOccurrences(left.filter((word) => shared.has(word))),
    sharedRight: firstOccurrences(rightCanonical.filter((word) => shared.has(word))),
  };
}

function firstOccurrences(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** Share of shared-word pairs whose order differs between the texts (Kendall distance). */
function discordance(left: readonly string[], right: readonly string[]): number {
  const position = new Map(right.map((word, index) => [word, index]));
  const order = left
    .map((word) => position.get(word))
    .filter((index): index is number => index !== undefined);
  if (order.length < 2) return 0;
  let discordant = 0;
  let pairs = 0;
  for (let first = 0; first < order.length; first++) {
    for (let second = first + 1; second < order.length; second++) {
      pairs++;
      if (order[first]! > order[second]!) discordant++;
    }
  }
  return discordant / pairs;
}

/** Whether the units both texts name appear in opposite orders ("°F in Celsius" vs "°C in Fahrenheit"). */
function reversedOrder(left: readonly string[], right: readonly string[]): boolean {
  const shared = [...new Set(left)].filter((unit) => right.includes(unit));
  if (shared.length < 2) return false;
  return (
    discordance(
      firstOccurrences(left.filter((unit) => shared.includes(unit))),
      firstOccurrences(right.filter((unit) => shared.includes(unit))),
    ) > 0
  );
}

function symmetricDifference(left: readonly string[], right: readonly string[]): number {
  return unmatched(left, right).length + unmatched(right, left).length;
}

function withinOneEdit(left: string, right: string): boolean {
  if (Math.abs(left.length - right.length) > 1) return false;
  let index = 0;
  while (index < left.length && index < right.length && left[index] === right[index]) index++;
  if (index === left.length && index === right.length) return true;
  const rest = (a: string, b: string) => a === b;
  return (
    rest(left.slice(index + 1), right.slice(index + 1)) || // substitution
    rest(left.slice(index + 1), right.slice(index)) || // deletion
    rest(left.slice(index), right.slice(index + 1)) || // insertion
    (left[index] === right[index + 1] &&
      left[index + 1] === right[index] &&
      rest(left.slice(index + 2), right.slice(index + 2))) // transposition
  );
}
