import type { TokenomicsRequest } from '@tokenomics/core';

/** The kinds of request the decision benchmark mixes: feature extraction cost grows with the prompt. */
export type RoutingLatencyPromptKind = 'chat' | 'rag' | 'code' | 'math';

export type RoutingLatencyPrompt = { kind: RoutingLatencyPromptKind; request: TokenomicsRequest };

const MODEL = 'bench:routing';

/**
 * A fixed mix of realistic requests: short chat turns (one with earlier turns), long
 * retrieval-augmented prompts (a system prompt and about 1,500 words of retrieved passages),
 * code questions with source in the prompt, and word problems. Written for this benchmark.
 */
export function routingLatencyPrompts(): RoutingLatencyPrompt[] {
  return [
    ...CHAT.map((text) => ({ kind: 'chat' as const, request: userTurns([text]) })),
    {
      kind: 'chat',
      request: userTurns(
        ['Can you recommend a good book on negotiation?', 'Something shorter, under 200 pages?'],
        ['"Getting to Yes" by Fisher and Ury is a classic on principled negotiation.'],
      ),
    },
    ...RAG_QUESTIONS.map((question, index) => ({
      kind: 'rag' as const,
      request: ragRequest(question, index),
    })),
    ...CODE.map((text) => ({ kind: 'code' as const, request: userTurns([text]) })),
    ...MATH.map((text) => ({ kind: 'math' as const, request: userTurns([text]) })),
  ];
}

const CHAT = [
  'hi! how are you today?',
  'What is the capital of Australia?',
  'Thanks, that helped a lot.',
  'Give me three name ideas for a bakery that sells sourdough.',
  'Translate "where is the train station" into Spanish.',
];

const CODE = [
  `Why does this TypeScript function return undefined for an empty array, and how do I fix it?

function average(values: number[]): number {
  let total = 0;
  for (const value of values) total += value;
  if (values.length) return total / values.length;
}`,
  `Write a Python function that reads a CSV file of orders (columns: order_id, customer, amount, date)
and returns the total amount per customer for a given month, sorted from highest to lowest. Use only
the standard library and include a short docstring.`,
  `My SQL query is slow on a table with 40 million rows:

SELECT customer_id, COUNT(*) FROM events
WHERE created_at >= NOW() - INTERVAL '7 days' AND type = 'purchase'
GROUP BY customer_id ORDER BY COUNT(*) DESC LIMIT 20;

Which index would help, and why?`,
  'Explain the difference between a mutex and a semaphore with a short Go example of each.',
];

const MATH = [
  'A train leaves at 9:40 and arrives at 13:15. How many minutes is the trip?',
  `Maria buys 3 notebooks at $2.40 each and 2 pens at $1.15 each. She pays with a $20 bill. How much
change does she get?`,
  'Prove that the sum of two odd integers is even.',
  `A tank is filled by one pipe in 6 hours and emptied by another in 9 hours. If both are open, how
long does it take to fill the empty tank? Show your reasoning step by step.`,
  'Solve for x: 3(x - 4) + 2 = 5x - 18.',
];

const RAG_QUESTIONS = [
  'How long are audit logs kept on the Business plan, and can an admin export them?',
  'Which regions support customer-managed encryption keys, and what happens when a key is revoked?',
  'What is the rate limit for the bulk import API, and how should a client retry after a 429?',
];

const PASSAGE_TOPICS = [
  [
    'Audit logs',
    'record every sign-in, permission change, export and deletion in the workspace. Entries carry the actor, the time in UTC, the source address and the object affected',
  ],
  [
    'Data residency',
    'lets an organization pin its stored content to one region. Backups stay in the same region, and support staff outside it see metadata only, never message bodies or files',
  ],
  [
    'Encryption keys',
    'can be managed by the customer in a supported key service. Revoking a key makes the content it protects unreadable within fifteen minutes, including search indexes and previews',
  ],
  [
    'The bulk import API',
    'accepts newline-delimited JSON files of up to 500 MB. Each request is validated before any row is written, and a failed validation returns the first hundred errors with line numbers',
  ],
  [
    'Rate limits',
    'apply per token and per workspace. A client that exceeds them receives status 429 with a Retry-After header giving the seconds to wait; retrying sooner extends the wait',
  ],
  [
    'Plan differences',
    'cover retention and administration. The Team plan keeps audit logs for 90 days, the Business plan for one year and Enterprise for as long as the contract runs, with export in CSV or JSON',
  ],
  [
    'Single sign-on',
    'supports SAML 2.0 and OpenID Connect. When it is enforced, password sign-in is disabled for members but kept for one break-glass owner account that must use a hardware key',
  ],
  [
    'Deletion',
    'moves items to a trash that is emptied after thirty days. Administrators can restore an item until then; after it, the item is removed from backups within the next backup cycle',
  ],
] as const;

/** A retrieval-augmented prompt: instructions, eight retrieved passages of about 190 words, a question. */
function ragRequest(question: string, variant: number): TokenomicsRequest {
  const passages = PASSAGE_TOPICS.map(([title, body], index) => {
    const sentences = [
      `${title} ${body}.`,
      `This section applies to workspaces created after the ${index + 2 + variant}.0 release; older workspaces keep their previous settings until an owner migrates them from the administration console.`,
      `Changes to ${title.toLowerCase()} are themselves recorded, and members with the auditor role can review them without being able to change anything.`,
      `Limits stated here are defaults: an Enterprise contract can raise them, and the values in force for a workspace are shown on its usage page, refreshed every hour.`,
      `If a setting described here is not visible, the workspace may be on an older plan, or an administrator may have hidden it with a policy; contact the owner before opening a ticket.`,
      `The behaviour was last reviewed in the quarterly security review, and the summary of that review is available to customers under a non-disclosure agreement.`,
    ];
    return `[${index + 1}] ${title}\n${sentences.join(' ')}`;
  });
  return {
    model: MODEL,
    messages: [
      {
        role: 'system',
        content: [
          {
            type: 'text',
            text: 'You answer questions about the product using only the passages provided. Cite passages by number, say when the passages do not contain the answer, and keep the answer under 120 words.',
          },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'text', text: `Passages:\n\n${passages.join('\n\n')}\n\nQuestion: ${question}` }],
      },
    ],
  };
}

function userTurns(users: readonly string[], assistants: readonly string[] = []): TokenomicsRequest {
  const messages: TokenomicsRequest['messages'] = [];
  users.forEach((text, index) => {
    messages.push({ role: 'user', content: [{ type: 'text', text }] });
    const answer = assistants[index];
    if (answer !== undefined) messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
  });
  return { model: MODEL, messages };
}
