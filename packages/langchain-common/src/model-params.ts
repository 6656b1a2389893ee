import { convertToOpenAITool, isLangChainTool } from '@langchain/core/utils/function_calling';
import type { GenerationSettings, ResponseFormat, ToolChoice, ToolDefinition } from '@tokenomics/core';

/** The parts of a request that come from the model's params and the call options. */
export type ModelParams = {
  model: string;
  settings: GenerationSettings;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** Set when a param could not be read faithfully (so two different calls could look alike). */
  lossy?: string;
};

/**
 * Maps LangChain model params and call options (snake or camel case, as providers spell them)
 * onto the request model. Every param that is not mapped to a named setting and is not known
 * to leave the answer unchanged lands in `settings.extra`, so the exact key still covers it.
 */
export function modelParamsFrom(params: Record<string, unknown>): ModelParams {
  const settings: GenerationSettings = {};
  const extra: Record<string, unknown> = {};
  const result: ModelParams = { model: modelId(params), settings };
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || IGNORED.has(name) || SECRET.test(name)) continue;
    if (MODEL_NAMES.has(name) || name === '_type' || name === '_model') continue;
    const setting = SETTING_NAMES[name];
    if (setting === 'stopSequences') {
      const stops = Array.isArray(value) ? value.map(String) : [String(value)];
      if (stops.length > 0) settings.stopSequences = stops;
    } else if (setting === 'responseFormat') {
      const format = responseFormat(value);
      if (format) settings.responseFormat = format;
      else extra[name] = value;
    } else if (setting === 'reasoning' && typeof value === 'string') {
      settings.reasoning = value;
    } else if (setting && setting !== 'reasoning' && typeof value === 'number') {
      settings[setting] = value;
    } else if (name === 'tools' && Array.isArray(value)) {
      if (value.length === 0) continue;
      const tools = value.map(toolDefinition);
      if (tools.some((tool) => tool === undefined)) result.lossy = 'tool-not-serializable';
      result.tools = tools.filter((tool): tool is ToolDefinition => tool !== undefined);
    } else if (name === 'tool_choice' || name === 'toolChoice') {
      const choice = toolChoice(value);
      if (choice) result.toolChoice = choice;
      else extra[name] = value;
    } else {
      extra[name] = value;
    }
  }
  if (containsSerializationStub(extra)) result.lossy = 'param-not-serializable';
  if (Object.keys(extra).length > 0) settings.extra = extra;
  return result;
}

/**
 * A tool as plain JSON: LangChain tool objects are converted to the OpenAI function format
 * (what most providers' `bindTools` produce), because `JSON.stringify` of a tool object keeps
 * neither its name nor its schema.
 */
export function jsonTool(tool: unknown): unknown {
  if (isLangChainTool(tool)) return convertToOpenAITool(tool);
  return tool;
}

function modelId(params: Record<string, unknown>): string {
  const type = typeof params._type === 'string' ? params._type : 'langchain';
  for (const name of MODEL_NAMES) {
    const value = params[name];
    if (typeof value === 'string' && value.length > 0) return `${type}:${value}`;
  }
  return type;
}

function toolDefinition(tool: unknown): ToolDefinition | undefined {
  const json = jsonTool(tool);
  if (!isRecord(json) || isSerializationStub(json)) return undefined;
  const fn = json.function;
  if (json.type === 'function' && isRecord(fn) && typeof fn.name === 'string') {
    return {
      name: fn.name,
      description: typeof fn.description === 'string' ? fn.description : undefined,
      inputSchema: fn.parameters,
      providerTool: fn.strict === undefined ? undefined : { id: 'function', args: { strict: fn.strict } },
    };
  }
  // Provider-defined tools (web search, code interpreter) and Anthropic-style `{name, input_schema}`.
  const name = typeof json.name === 'string' ? json.name : typeof json.type === 'string' ? json.type : 'tool';
  return { name, providerTool: { id: typeof json.type === 'string' ? json.type : 'custom', args: json } };
}

function toolChoice(value: unknown): ToolChoice | undefined {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (value === 'any') return { type: 'required' };
  if (typeof value === 'string') return { type: 'tool', toolName: value };
  if (!isRecord(value)) return undefined;
  if (value.type === 'auto' || value.type === 'none' || value.type === 'required')
    return { type: value.type };
  if (value.type === 'any') return { type: 'required' };
  const fn = value.function;
  if (value.type === 'function' && isRecord(fn) && typeof fn.name === 'string')
    return { type: 'tool', toolName: fn.name };
  if (value.type === 'tool' && typeof value.name === 'string') return { type: 'tool', toolName: value.name };
  return undefined;
}

function responseFormat(value: unknown): ResponseFormat | undefined {
  if (!isRecord(value)) return undefined;
  if (value.type === 'text') return { type: 'text' };
  if (value.type === 'json_object') return { type: 'json' };
  const schema = value.json_schema;
  if (value.type === 'json_schema' && isRecord(schema)) {
    return {
      type: 'json',
      schema: schema.schema,
      name: typeof schema.name === 'string' ? schema.name : undefined,
      description: typeof schema.description === 'string' ? schema.description : undefined,
    };
  }
  return undefined;
}

/** `JSON.stringify` of a LangChain object that cannot serialize itself: its content is gone. */
function isSerializationStub(value: Record<string, unknown>): boolean {
  return value.lc === 1 && value.type === 'not_implemented';
}

function containsSerializationStub(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSerializationStub);
  if (!isRecord(value)) return false;
  return isSerializationStub(value) || Object.values(value).some(containsSerializationStub);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MODEL_NAMES = new Set(['model', 'model_name', 'modelName', 'modelId', 'model_id']);

type NumericSetting =
  | 'temperature'
  | 'topP'
  | 'topK'
  | 'maxOutputTokens'
  | 'seed'
  | 'presencePenalty'
  | 'frequencyPenalty';

const SETTING_NAMES: Record<string, NumericSetting | 'stopSequences' | 'responseFormat' | 'reasoning'> = {
  temperature: 'temperature',
  top_p: 'topP',
  topP: 'topP',
  top_k: 'topK',
  topK: 'topK',
  max_tokens: 'maxOutputTokens',
  maxTokens: 'maxOutputTokens',
  max_completion_tokens: 'maxOutputTokens',
  maxCompletionTokens: 'maxOutputTokens',
  max_output_tokens: 'maxOutputTokens',
  maxOutputTokens: 'maxOutputTokens',
  stop: 'stopSequences',
  stop_sequences: 'stopSequences',
  stopSequences: 'stopSequences',
  seed: 'seed',
  presence_penalty: 'presencePenalty',
  presencePenalty: 'presencePenalty',
  frequency_penalty: 'frequencyPenalty',
  frequencyPenalty: 'frequencyPenalty',
  response_format: 'responseFormat',
  responseFormat: 'responseFormat',
  reasoning_effort: 'reasoning',
  reasoningEffort: 'reasoning',
};

/** Params that change how a call is made, never what it answers. */
const IGNORED = new Set([
  'signal',
  'timeout',
  'callbacks',
  'stream',
  'streaming',
  'stream_options',
  'streamUsage',
  'maxRetries',
  'maxConcurrency',
  'promptIndex',
  'verbose',
  'cache',
  'runId',
  'runName',
  'tags',
  'metadata',
  'configurable',
  'recursionLimit',
  'dangerouslyAllowBrowser',
  'defaultHeaders',
  'defaultQuery',
  'headers',
  'fetch',
  'httpAgent',
  // What LangGraph adds to the config of a model call inside a graph (an agent): run state, never
  // part of the answer. `executionInfo` holds the checkpoint id, new on every call.
  'writer',
  'interrupt',
  'control',
  'executionInfo',
  'context',
  'store',
  'serverInfo',
]);

/**
 * The call options without those that never change the answer: some cannot be serialized into
 * LangChain's cache-key string at all (LangGraph's `interrupt` function), others change on every
 * call (a checkpoint id).
 */
export function withoutIgnoredParams(callOptions: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(callOptions)) if (!IGNORED.has(name)) kept[name] = value;
  return kept;
}

/** Credentials are never part of a key, nor of anything the cache stores. */
const SECRET = /(api_?key|secret|password|authorization|access_?token)$/i;
