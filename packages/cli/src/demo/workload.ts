/**
 * The demo workload: a support assistant used by two tenants. It mixes what a cache meets in
 * production — first questions, exact repeats, paraphrases, look-alikes that ask something
 * else (another number, another product, swapped order, a negation), the same follow-up in
 * different conversations, and the same question from another tenant.
 *
 * `topic` names the answer that is right for a request; two requests with the same topic may
 * share an answer, any other hit serves a wrong answer. `expect` is what a correct cache does:
 * `miss` for a question nobody asked before in that tenant and context (a hit would be wrong),
 * `hit` for an exact repeat, `may-hit` for a paraphrase (a miss costs money, not correctness).
 */
export type WorkloadRequest = {
  id: string;
  tenant: 'acme' | 'globex';
  /** Earlier user turns of the same conversation, oldest first; their answers come from `answers`. */
  history?: string[];
  question: string;
  topic: string;
  expect: 'miss' | 'hit' | 'may-hit';
  /** Why the request is in the workload, shown in the demo output. */
  note:
    | 'first ask'
    | 'repeat'
    | 'paraphrase'
    | 'look-alike'
    | 'other tenant'
    | 'other conversation'
    | 'follow-up';
};

export type Workload = {
  system: string;
  /** The answer of each topic, keyed by topic; the offline stand-in replies with these. */
  answers: Record<string, string>;
  /** The topic of each question text, so history turns and the stand-in find their answer. */
  requests: WorkloadRequest[];
};

const answers: Record<string, string> = {
  'reset-password':
    'Open Settings → Security, choose "Reset password", and follow the link we email you. The link expires after 30 minutes.',
  'refund-annual':
    'Annual plans can be refunded in full within 30 days of purchase; after that we refund the unused months pro rata.',
  'refund-monthly':
    'Monthly plans are not refunded, but you can cancel at any time and keep access until the end of the billing month.',
  'export-csv':
    'Go to Reports, pick the date range, and click Export → CSV. Exports over 1 million rows are emailed as a zip file.',
  'discount-10':
    'Yes. Invoices over $500 get the 10% volume discount automatically; it appears as a separate line on the invoice.',
  'discount-6': 'No, there is no 6% discount tier; the only volume discount is 10% on invoices over $500.',
  'usd-to-eur': 'At the rate we use today (1 USD = 0.92 EUR), 100 USD is about 92 EUR.',
  'eur-to-usd': 'At the rate we use today (1 EUR = 1.09 USD), 100 EUR is about 109 USD.',
  'api-key-required':
    'Yes, every API call needs an API key; create one under Settings → API keys and send it as a Bearer token.',
  'api-without-key':
    'No. Without an API key the API answers 401 Unauthorized; only the public status page works without one.',
  'postgres-intro':
    'PostgreSQL is an open-source relational database known for standards compliance, transactions, extensions such as PostGIS, and rich indexing.',
  'postgres-indexes': 'PostgreSQL offers B-tree (the default), Hash, GiST, SP-GiST, GIN and BRIN indexes.',
  'mongodb-intro':
    'MongoDB is a document database that stores JSON-like documents with flexible schemas and scales out with sharding.',
  'mongodb-indexes':
    'MongoDB supports single-field, compound, multikey, text, geospatial (2dsphere), hashed and wildcard indexes.',
  'python-sort':
    'Use sorted(items) for a new sorted list, or items.sort() to sort in place; both take key= and reverse=.',
  'javascript-sort':
    'Use array.sort((a, b) => a - b) for numbers; without a comparator, sort() compares elements as strings.',
  'list-vs-tuple':
    'Lists are mutable and use square brackets; tuples are immutable, use parentheses, and can be dictionary keys when their items are hashable.',
  'binary-search-complexity':
    'Binary search runs in O(log n) time on a sorted array and uses O(1) extra space when written iteratively.',
  'sla-uptime':
    'The Business plan guarantees 99.9% monthly uptime; below that you get service credits as listed in the SLA.',
};

const acme = 'acme' as const;
const globex = 'globex' as const;

export const demoWorkload: Workload = {
  system: 'You are the support assistant of a SaaS product. Answer in one or two sentences.',
  answers,
  requests: [
    {
      id: 'r01',
      tenant: acme,
      question: 'How do I reset my password?',
      topic: 'reset-password',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r02',
      tenant: acme,
      question: 'How do I reset my password?',
      topic: 'reset-password',
      expect: 'hit',
      note: 'repeat',
    },
    {
      id: 'r03',
      tenant: acme,
      question: "What's the way to reset my password?",
      topic: 'reset-password',
      expect: 'may-hit',
      note: 'paraphrase',
    },
    {
      id: 'r04',
      tenant: globex,
      question: 'How do I reset my password?',
      topic: 'reset-password',
      expect: 'miss',
      note: 'other tenant',
    },
    {
      id: 'r05',
      tenant: acme,
      question: 'What is the refund policy for annual plans?',
      topic: 'refund-annual',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r06',
      tenant: acme,
      question: 'What is the refund policy for monthly plans?',
      topic: 'refund-monthly',
      expect: 'miss',
      note: 'look-alike',
    },
    {
      id: 'r07',
      tenant: acme,
      question: "What's the refund policy for an annual plan?",
      topic: 'refund-annual',
      expect: 'may-hit',
      note: 'paraphrase',
    },
    {
      id: 'r08',
      tenant: acme,
      question: 'How can I export my reports to CSV?',
      topic: 'export-csv',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r09',
      tenant: acme,
      question: 'How do I export my reports to CSV?',
      topic: 'export-csv',
      expect: 'may-hit',
      note: 'paraphrase',
    },
    {
      id: 'r10',
      tenant: acme,
      question: 'Do invoices over $500 get a 10% discount?',
      topic: 'discount-10',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r11',
      tenant: acme,
      question: 'Do invoices over $500 get a 6% discount?',
      topic: 'discount-6',
      expect: 'miss',
      note: 'look-alike',
    },
    {
      id: 'r12',
      tenant: acme,
      question: 'Do invoices over $500 get a 10% discount?',
      topic: 'discount-10',
      expect: 'hit',
      note: 'repeat',
    },
    {
      id: 'r13',
      tenant: acme,
      question: 'Convert 100 USD to EUR.',
      topic: 'usd-to-eur',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r14',
      tenant: acme,
      question: 'Convert 100 EUR to USD.',
      topic: 'eur-to-usd',
      expect: 'miss',
      note: 'look-alike',
    },
    {
      id: 'r15',
      tenant: acme,
      question: 'Do I need an API key to call the API?',
      topic: 'api-key-required',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r16',
      tenant: acme,
      question: 'Can I call the API without an API key?',
      topic: 'api-without-key',
      expect: 'miss',
      note: 'look-alike',
    },
    {
      id: 'r17',
      tenant: acme,
      question: 'Tell me about PostgreSQL.',
      topic: 'postgres-intro',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r18',
      tenant: acme,
      history: ['Tell me about PostgreSQL.'],
      question: 'What are its main index types?',
      topic: 'postgres-indexes',
      expect: 'miss',
      note: 'follow-up',
    },
    {
      id: 'r19',
      tenant: acme,
      question: 'Tell me about MongoDB.',
      topic: 'mongodb-intro',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r20',
      tenant: acme,
      history: ['Tell me about MongoDB.'],
      question: 'What are its main index types?',
      topic: 'mongodb-indexes',
      expect: 'miss',
      note: 'other conversation',
    },
    {
      id: 'r21',
      tenant: acme,
      history: ['Tell me about PostgreSQL.'],
      question: 'What are its main index types?',
      topic: 'postgres-indexes',
      expect: 'hit',
      note: 'repeat',
    },
    {
      id: 'r22',
      tenant: acme,
      history: ['Tell me about PostgreSQL.'],
      question: 'Which index types does it have?',
      topic: 'postgres-indexes',
      expect: 'may-hit',
      note: 'paraphrase',
    },
    {
      id: 'r23',
      tenant: globex,
      question: 'How do I sort a list in Python?',
      topic: 'python-sort',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r24',
      tenant: globex,
      question: 'How do I sort a list in JavaScript?',
      topic: 'javascript-sort',
      expect: 'miss',
      note: 'look-alike',
    },
    {
      id: 'r25',
      tenant: globex,
      question: 'How do I sort a list in Python?',
      topic: 'python-sort',
      expect: 'hit',
      note: 'repeat',
    },
    {
      id: 'r26',
      tenant: globex,
      question: 'How can I sort a list in Python?',
      topic: 'python-sort',
      expect: 'may-hit',
      note: 'paraphrase',
    },
    {
      id: 'r27',
      tenant: globex,
      question: 'What is the difference between a list and a tuple in Python?',
      topic: 'list-vs-tuple',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r28',
      tenant: globex,
      question: 'What is the difference between a tuple and a list in Python?',
      topic: 'list-vs-tuple',
      expect: 'may-hit',
      note: 'paraphrase',
    },
    {
      id: 'r29',
      tenant: globex,
      question: 'What is the time complexity of binary search?',
      topic: 'binary-search-complexity',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r30',
      tenant: globex,
      question: 'What is the time complexity of binary search?',
      topic: 'binary-search-complexity',
      expect: 'hit',
      note: 'repeat',
    },
    {
      id: 'r31',
      tenant: globex,
      question: 'What uptime does the Business plan guarantee?',
      topic: 'sla-uptime',
      expect: 'miss',
      note: 'first ask',
    },
    {
      id: 'r32',
      tenant: globex,
      question: 'What uptime is guaranteed on the Business plan?',
      topic: 'sla-uptime',
      expect: 'may-hit',
      note: 'paraphrase',
    },
    {
      id: 'r33',
      tenant: acme,
      question: 'What uptime does the Business plan guarantee?',
      topic: 'sla-uptime',
      expect: 'miss',
      note: 'other tenant',
    },
    {
      id: 'r34',
      tenant: globex,
      question: 'Tell me about MongoDB.',
      topic: 'mongodb-intro',
      expect: 'miss',
      note: 'other tenant',
    },
    {
      id: 'r35',
      tenant: globex,
      history: ['Tell me about MongoDB.'],
      question: 'What are its main index types?',
      topic: 'mongodb-indexes',
      expect: 'miss',
      note: 'other tenant',
    },
    {
      id: 'r36',
      tenant: acme,
      question: 'How do I reset my password?',
      topic: 'reset-password',
      expect: 'hit',
      note: 'repeat',
    },
  ],
};

/** The offline stand-in's answer table: each request's user turns (history, then question) → its topic's answer. */
export function workloadAnswerTable(workload: Workload): Map<string, string> {
  return new Map(
    workload.requests.map((request) => [
      [...(request.history ?? []), request.question].join('\n'),
      workload.answers[request.topic]!,
    ]),
  );
}
