/**
 * The kind of answer an English question asks for ("when" a date, "how many" a number, "who" a
 * name) and whether a sentence holds something of that kind: the answer sentence of a document
 * rarely repeats the question's words, but it does hold the answer's type.
 */
export type AnswerType = 'time' | 'number' | 'person' | 'place';

const TIME = /^(?:when|what (?:year|date|day|month|time|century|decade)|in what year|on what date)\b/i;
const NUMBER =
  /^(?:how (?:many|much|long|old|far|tall|big|high|deep|often|fast|large)|what (?:percentage|percent|number|amount|age|size))\b/i;
const PERSON =
  /^(?:who|whom|whose|which (?:person|player|team|actor|singer|band|president|king|queen|character))\b/i;
const PLACE =
  /^(?:where|what (?:country|city|state|place|continent|river|town)|in which (?:country|city|state))\b/i;

const YEAR_OR_DATE =
  /\b(?:1[0-9]{3}|20[0-9]{2})\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|\b\d{1,2}(?:st|nd|rd|th) century\b/;
const DIGIT =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|dozen)\b/i;
const NAME = /(?<!^|[.!?]\s)\b[A-Z][\p{L}'-]+(?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][\p{L}'-]+)*/gu;

export function answerTypeOf(question: string): AnswerType | undefined {
  const text = question
    .replace(/^\s*(?:question|q)\s*[:：]\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (TIME.test(text)) return 'time';
  if (NUMBER.test(text)) return 'number';
  if (PERSON.test(text)) return 'person';
  if (PLACE.test(text)) return 'place';
  return undefined;
}

/** 1 when the sentence holds an answer of the type (a name the question does not already use). */
export function holdsAnswerType(
  type: AnswerType,
  sentence: string,
  questionWords: ReadonlySet<string>,
): number {
  switch (type) {
    case 'time':
      return YEAR_OR_DATE.test(sentence) ? 1 : 0;
    case 'number':
      return DIGIT.test(sentence) ? 1 : 0;
    case 'person':
    case 'place':
      for (const match of sentence.matchAll(NAME)) {
        if (!match[0].split(/\s+/).every((word) => questionWords.has(word.toLowerCase()))) return 1;
      }
      return 0;
  }
}
