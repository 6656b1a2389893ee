import { responseText } from '../../cache/cached-response';
import type { AnswerScorer, ScoreInput, ScoreResult } from '../types';
import { validateJsonSchema } from './json-schema-validator';

/**
 * Structural validity: with a JSON response format, the answer must parse (a ```json fence is
 * allowed) and match the format's schema; every tool call must name a tool the request offered
 * and carry arguments that match its input schema. Scores 0 on the first failure, 1 when all
 * hold, and says nothing for a plain-text answer without tool calls.
 */
export function structuredOutputScorer(): AnswerScorer {
  return {
    name: 'structure',
    score({ request, answer }: ScoreInput): ScoreResult | undefined {
      let checked = false;
      const format = request.settings?.responseFormat;
      const hasToolCalls = answer.content.some((part) => part.type === 'tool-call');
      if (format?.type === 'json' && !hasToolCalls) {
        checked = true;
        const parsed = parseJson(stripFence(responseText(answer)));
        if (!parsed.ok) return { scorer: 'structure', score: 0, reason: 'invalid JSON' };
        if (format.schema !== undefined) {
          const problems = validateJsonSchema(parsed.value, format.schema, 3);
          if (problems.length > 0) {
            return { scorer: 'structure', score: 0, reason: `schema mismatch: ${problems.join('; ')}` };
          }
        }
      }
      for (const part of answer.content) {
        if (part.type !== 'tool-call') continue;
        checked = true;
        const tool = request.tools?.find((candidate) => candidate.name === part.toolName);
        if (!tool) return { scorer: 'structure', score: 0, reason: `unknown tool '${part.toolName}'` };
        let input = part.input;
        if (typeof input === 'string') {
          const parsed = parseJson(input.trim().length === 0 ? '{}' : input);
          if (!parsed.ok) {
            return {
              scorer: 'structure',
              score: 0,
              reason: `tool '${part.toolName}' arguments are not JSON`,
            };
          }
          input = parsed.value;
        }
        if (tool.inputSchema !== undefined) {
          const problems = validateJsonSchema(input, tool.inputSchema, 3);
          if (problems.length > 0) {
            return {
              scorer: 'structure',
              score: 0,
              reason: `tool '${part.toolName}' arguments: ${problems.join('; ')}`,
            };
          }
        }
      }
      return checked ? { scorer: 'structure', score: 1 } : undefined;
    },
  };
}

function stripFence(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(trimmed);
  return fenced ? (fenced[1] as string) : trimmed;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
