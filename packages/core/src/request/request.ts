/**
 * The framework-neutral description of one LLM call. Both framework adapters convert
 * their requests into this shape, and every stage (cache, router, compressor) reads it.
 */
export type TokenomicsRequest = {
  /** Provider-qualified model id, e.g. `openai:gpt-4o-mini`. */
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  settings?: GenerationSettings;
  scope?: Scope;
};

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export type Message = {
  role: Role;
  content: ContentPart[];
};

export type ContentPart = TextPart | MediaPart | ToolCallPart | ToolResultPart | ReasoningPart | OtherPart;

export type TextPart = { type: 'text'; text: string };

/** An image or file. `data` is what the exact key hashes: bytes, base64 text, or a URL. */
export type MediaPart = {
  type: 'media';
  mediaType: string;
  data: string | Uint8Array;
  filename?: string;
};

export type ToolCallPart = { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown };

export type ToolResultPart = { type: 'tool-result'; toolCallId: string; toolName: string; output: unknown };

export type ReasoningPart = { type: 'reasoning'; text: string };

/** A part the request model does not understand; kept whole so the exact key still covers it. */
export type OtherPart = { type: 'other'; value: unknown };

export type ToolDefinition = {
  name: string;
  description?: string;
  /** JSON schema of the tool's input. */
  inputSchema?: unknown;
  /** Provider-defined tools (e.g. web search) carry their id and arguments here. */
  providerTool?: { id: string; args?: unknown };
};

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; toolName: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json'; schema?: unknown; name?: string; description?: string };

export type GenerationSettings = {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseFormat?: ResponseFormat;
  reasoning?: string;
  /** Anything else that changes the answer (provider options, LangChain call options). */
  extra?: Record<string, unknown>;
};

/** Who an answer belongs to. Cached answers never cross scopes. */
export type Scope = {
  tenant?: string;
  user?: string;
  namespace?: string;
};
