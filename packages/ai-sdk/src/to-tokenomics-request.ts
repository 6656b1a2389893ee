import type {
  LanguageModelV4CallOptions,
  LanguageModelV4FilePart,
  LanguageModelV4Message,
  LanguageModelV4ReasoningFilePart,
  SharedV4ProviderOptions,
} from '@ai-sdk/provider';
import type {
  ContentPart,
  GenerationSettings,
  MediaPart,
  Message,
  Scope,
  TokenomicsRequest,
  ToolDefinition,
} from '@tokenomics/core';
import { canonicalJson } from '@tokenomics/core/internal';
import type { AiCallOptions } from './installed-specification';
import { fileDataToV4 } from './v3-bridge';

/** The provider option namespace this package reads per call; it never reaches the cache key. */
export const TOKENOMICS_PROVIDER_OPTIONS_KEY = 'tokenomics';

export type ModelIdentity = { provider: string; modelId: string };

/**
 * Converts the AI SDK's call options into the framework-neutral request the cache keys on.
 * Everything that can change the answer is carried over; what cannot (abort signal, headers,
 * `includeRawChunks`, the `tokenomics` provider options) is left out, so it never splits the key.
 */
export function toTokenomicsRequest(
  params: AiCallOptions,
  model: ModelIdentity,
  scope?: Scope,
): TokenomicsRequest {
  const request: TokenomicsRequest = {
    model: `${model.provider}:${model.modelId}`,
    messages: params.prompt.map(toMessage),
    settings: toSettings(params),
  };
  if (params.tools && params.tools.length > 0) request.tools = params.tools.map(toToolDefinition);
  // 'auto' is every provider's default, and a choice means nothing without tools.
  if (request.tools && params.toolChoice && params.toolChoice.type !== 'auto') {
    request.toolChoice = { ...params.toolChoice };
  }
  if (scope && Object.values(scope).some((value) => value !== undefined)) request.scope = scope;
  return request;
}

function toMessage(message: LanguageModelV4Message): Message {
  const content: ContentPart[] = [];
  switch (message.role) {
    case 'system':
      content.push({ type: 'text', text: message.content });
      break;
    case 'user':
    case 'assistant':
    case 'tool':
      for (const part of message.content) content.push(...toContentParts(part));
      break;
  }
  // Message-level provider options (e.g. cache-control markers) may change the answer; keep them
  // in the key rather than risk serving an answer produced under other options.
  if (message.providerOptions && Object.keys(message.providerOptions).length > 0) {
    content.push({ type: 'other', value: { messageProviderOptions: message.providerOptions } });
  }
  return { role: message.role, content };
}

type PromptPart = Exclude<LanguageModelV4Message['content'], string>[number];

function toContentParts(part: PromptPart): ContentPart[] {
  const parts = [toContentPart(part)];
  if (part.type === 'tool-call' && part.providerExecuted) {
    parts.push({ type: 'other', value: { providerExecuted: true } });
  }
  if (part.providerOptions && Object.keys(part.providerOptions).length > 0) {
    parts.push({ type: 'other', value: { partProviderOptions: part.providerOptions } });
  }
  return parts;
}

function toContentPart(part: PromptPart): ContentPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'reasoning':
      return { type: 'reasoning', text: part.text };
    case 'file':
    case 'reasoning-file':
      return toMediaPart(part);
    case 'tool-call':
      return { type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input };
    case 'tool-result':
      return {
        type: 'tool-result',
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        output: part.output,
      };
    case 'custom':
      return { type: 'other', value: { type: 'custom', kind: part.kind } };
    case 'tool-approval-response':
      return {
        type: 'other',
        value: { type: part.type, approvalId: part.approvalId, approved: part.approved, reason: part.reason },
      };
    default:
      return { type: 'other', value: part };
  }
}

/**
 * Files are keyed by content: bytes and base64 of the same file give the same key, a URL is
 * keyed by its address (its content is not fetched), and a provider reference by its ids.
 */
function toMediaPart(part: LanguageModelV4FilePart | LanguageModelV4ReasoningFilePart): MediaPart {
  const media: MediaPart = { type: 'media', mediaType: part.mediaType, data: mediaData(part.data) };
  if (part.type === 'reasoning-file') media.mediaType = `reasoning:${part.mediaType}`;
  if (part.type === 'file' && part.filename !== undefined) media.filename = part.filename;
  return media;
}

/** Also reads V3 file data (`ai` 6), so a file has one key under both releases. */
function mediaData(
  spelled: LanguageModelV4FilePart['data'] | Uint8Array | string | URL,
): string | Uint8Array {
  const data = isV3FileData(spelled) ? fileDataToV4(spelled) : spelled;
  switch (data.type) {
    case 'data':
      return typeof data.data === 'string' ? new Uint8Array(Buffer.from(data.data, 'base64')) : data.data;
    case 'url':
      return data.originalUrl ?? data.url.href;
    case 'text':
      return new Uint8Array(Buffer.from(data.text, 'utf8'));
    case 'reference':
      return `reference:${canonicalJson(data.reference)}`;
  }
}

function toToolDefinition(tool: NonNullable<LanguageModelV4CallOptions['tools']>[number]): ToolDefinition {
  if (tool.type === 'provider') return { name: tool.name, providerTool: { id: tool.id, args: tool.args } };
  const definition: ToolDefinition = { name: tool.name, inputSchema: tool.inputSchema };
  if (tool.description !== undefined) definition.description = tool.description;
  return definition;
}

function toSettings(params: LanguageModelV4CallOptions): GenerationSettings {
  const settings: GenerationSettings = {
    temperature: params.temperature,
    topP: params.topP,
    topK: params.topK,
    maxOutputTokens: params.maxOutputTokens,
    stopSequences: params.stopSequences,
    seed: params.seed,
    presencePenalty: params.presencePenalty,
    frequencyPenalty: params.frequencyPenalty,
  };
  // Plain text is the default format and the provider's default reasoning is no setting at all:
  // spelling them out must not split the key.
  if (params.responseFormat && params.responseFormat.type === 'json') {
    const { type, schema, name, description } = params.responseFormat;
    settings.responseFormat = { type, schema, name, description };
  }
  if (params.reasoning !== undefined && params.reasoning !== 'provider-default') {
    settings.reasoning = params.reasoning;
  }
  const extra = extraSettings(params);
  if (extra) settings.extra = extra;
  for (const key of Object.keys(settings) as Array<keyof GenerationSettings>) {
    if (settings[key] === undefined) delete settings[key];
  }
  return settings;
}

/** Provider options and the tool options the request model has no field for. */
function extraSettings(params: LanguageModelV4CallOptions): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  const providerOptions = withoutTokenomics(params.providerOptions);
  if (providerOptions) extra.providerOptions = providerOptions;
  const toolOptions: Record<string, unknown> = {};
  for (const tool of params.tools ?? []) {
    if (tool.type !== 'function') continue;
    const options = {
      strict: tool.strict,
      inputExamples: tool.inputExamples,
      providerOptions: tool.providerOptions,
    };
    if (Object.values(options).some((value) => value !== undefined)) toolOptions[tool.name] = options;
  }
  if (Object.keys(toolOptions).length > 0) extra.toolOptions = toolOptions;
  return Object.keys(extra).length > 0 ? extra : undefined;
}

function withoutTokenomics(
  options: SharedV4ProviderOptions | undefined,
): SharedV4ProviderOptions | undefined {
  if (!options) return undefined;
  const { [TOKENOMICS_PROVIDER_OPTIONS_KEY]: _ours, ...rest } = options;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function isV3FileData(data: unknown): data is Uint8Array | string | URL {
  return data instanceof Uint8Array || typeof data === 'string' || data instanceof URL;
}
