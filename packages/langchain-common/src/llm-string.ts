/**
 * LangChain's `llm_string` (what `BaseChatModel` passes to `BaseCache.lookup/update` as its
 * second argument) is `key:JSON` pairs sorted and joined by commas, built from the model's
 * identifying params plus the call options. Values may contain commas, so it is scanned value
 * by value rather than split.
 */
export function parseLlmString(llmString: string): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = {};
  let position = 0;
  while (position < llmString.length) {
    const colon = llmString.indexOf(':', position);
    if (colon < 0) return undefined;
    const name = llmString.slice(position, colon);
    const end = endOfJsonValue(llmString, colon + 1);
    if (end === undefined) return undefined;
    try {
      params[name] = JSON.parse(llmString.slice(colon + 1, end));
    } catch {
      return undefined;
    }
    if (end < llmString.length && llmString[end] !== ',') return undefined;
    position = end + 1;
  }
  return params;
}

/** Index just past the JSON value that starts at `start`, or undefined when it is malformed. */
function endOfJsonValue(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') {
        inString = false;
        if (depth === 0) return index + 1;
      }
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{' || character === '[') depth++;
    else if (character === '}' || character === ']') {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) return index + 1;
    } else if (character === ',' && depth === 0) return index;
  }
  return inString || depth !== 0 ? undefined : text.length;
}
