import { type ConversationTurn, conversationTurns } from '../conversation';
import type { Workload } from '../workload';
import type { RecordedQuestion } from './routing-sample';

/** One request of the pipeline demo: what is sent, and what a correct pipeline does with it. */
export type PipelineRequest = {
  id: string;
  kind: 'support' | 'retrieval' | 'routing';
  tenant: string;
  /** Why the request is in the workload, shown in the output. */
  note: string;
  system: string;
  /** The conversation after the system prompt, ending with the question. */
  turns: ConversationTurn[];
  /** Which answer is right: two requests with the same topic may share an answer. */
  topic: string;
  expect: 'miss' | 'hit' | 'may-hit';
  /** Retrieval: the passage that answers the question (must survive compression to be answerable). */
  answerPassage?: string;
  /** Retrieval: spans compression may drop whole but never change (code, JSON, identifiers). */
  protectedSpans?: string[];
  /** Routing: the recorded answers of the weak and the strong model. */
  recorded?: RecordedQuestion;
};

/** The user turn that carries a retrieved document starts with this. */
export const DOCUMENT_PREFIX = 'Retrieved documents:';

const PROTECTED = [
  '{"plan": "business", "uptime": "99.9%", "credits": [10, 25, 50]}',
  'curl -H "Authorization: Bearer $TOKENOMICS_KEY" https://api.example.com/v1/reports?format=csv',
];

/**
 * The mixed workload: the support questions (repeats, paraphrases, look-alikes, other tenants,
 * follow-ups in other conversations), the same kind of questions over a long retrieved document,
 * and recorded GSM8K questions for routing.
 */
export function pipelineWorkload(support: Workload, routing: readonly RecordedQuestion[]): PipelineRequest[] {
  return [...supportRequests(support), ...retrievalRequests(support), ...routingRequests(routing)];
}

function supportRequests(workload: Workload): PipelineRequest[] {
  return workload.requests.map((request) => ({
    id: request.id,
    kind: 'support',
    tenant: request.tenant,
    note: request.note,
    system: workload.system,
    turns: conversationTurns(workload, request),
    topic: request.topic,
    expect: request.expect,
  }));
}

/** Questions asked over a knowledge-base document: every answer of the workload plus filler notes and protected spans. */
function retrievalRequests(workload: Workload): PipelineRequest[] {
  const document = knowledgeBase(workload);
  const ask = (
    id: string,
    question: string,
    topic: string,
    expect: PipelineRequest['expect'],
    note: string,
  ) => ({
    id,
    kind: 'retrieval' as const,
    tenant: 'acme',
    note,
    system: 'Answer from the retrieved documents only, in one sentence.',
    turns: [
      { role: 'user' as const, text: document },
      { role: 'user' as const, text: question },
    ],
    topic: `kb:${topic}`,
    expect,
    answerPassage: workload.answers[topic]!,
    protectedSpans: PROTECTED,
  });
  return [
    ask('k01', 'How long is the password reset link valid?', 'reset-password', 'miss', 'long document'),
    ask('k02', 'Which index types does PostgreSQL offer?', 'postgres-indexes', 'miss', 'long document'),
    ask('k03', 'What do annual plans get refunded?', 'refund-annual', 'miss', 'long document'),
    ask('k04', 'How long is the password reset link valid?', 'reset-password', 'hit', 'repeat'),
    ask('k05', 'What uptime does the Business plan guarantee?', 'sla-uptime', 'miss', 'long document'),
  ];
}

function knowledgeBase(workload: Workload): string {
  const filler = [
    'The office kitchen is cleaned every evening; please leave mugs in the dishwasher.',
    'Quarterly planning moves to the large meeting room while the small one is repainted.',
    'New laptops arrive next month and the help desk will schedule the swap with each team.',
    'Visitors sign in at reception and wear a paper badge that expires at the end of the day.',
  ];
  const sections = Object.entries(workload.answers).map(
    ([topic, answer], index) =>
      `## ${topic}\n${answer}\n${filler[index % filler.length]} ${filler[(index + 1) % filler.length]}`,
  );
  sections.splice(4, 0, `## sla-credits (JSON)\n${PROTECTED[0]}`);
  sections.splice(9, 0, `## export by API (shell)\n${PROTECTED[1]}`);
  return `${DOCUMENT_PREFIX}\n\n${sections.join('\n\n')}`;
}

function routingRequests(questions: readonly RecordedQuestion[]): PipelineRequest[] {
  return questions.map((question, index) => ({
    id: `m${String(index + 1).padStart(2, '0')}`,
    kind: 'routing',
    tenant: 'acme',
    note: question.weak.correct ? 'recorded: weak right' : 'recorded: weak wrong',
    system: 'Solve the problem. End with the final answer as a number.',
    turns: [{ role: 'user', text: question.prompt }],
    topic: `gsm8k:${question.id}`,
    expect: 'miss',
    recorded: question,
  }));
}
