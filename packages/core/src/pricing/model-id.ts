/**
 * A model id split into provider and name. Accepts `openai:gpt-4o-mini` (the request model's
 * form), `openai.chat:gpt-4o-mini` (AI SDK provider ids), `openai/gpt-4o-mini` (gateway form)
 * and a bare `gpt-4o-mini`.
 */
export type ParsedModelId = {
  /** Provider as written, without an AI SDK suffix such as `.chat` or `.generative-ai`. */
  provider?: string;
  name: string;
};

export function parseModelId(model: string): ParsedModelId {
  const trimmed = model.trim();
  const colon = trimmed.indexOf(':');
  if (colon > 0) return { provider: providerName(trimmed.slice(0, colon)), name: trimmed.slice(colon + 1) };
  const slash = trimmed.indexOf('/');
  if (slash > 0) return { provider: providerName(trimmed.slice(0, slash)), name: trimmed.slice(slash + 1) };
  return { name: trimmed };
}

function providerName(raw: string): string {
  const dot = raw.indexOf('.');
  return (dot > 0 ? raw.slice(0, dot) : raw).toLowerCase();
}
