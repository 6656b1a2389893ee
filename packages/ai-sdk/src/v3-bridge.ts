import type {
  LanguageModelV2,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3Middleware,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
  LanguageModelV4Middleware,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  SharedV4FileData,
} from '@ai-sdk/provider';
import { installedSpecificationVersion } from './installed-specification';

/**
 * The adapters are written against the V4 specification (`ai` 7). Under `ai` 6, which calls
 * middleware and models with V3 shapes, these bridges convert at the edges. V3 and V4 differ in
 * how file data is spelled (`Uint8Array | string | URL` against `{ type: 'data' | 'url', … }`);
 * everything else the adapters read or write has the same shape in both.
 */

type V3Hooks = Pick<LanguageModelV3Middleware, 'transformParams' | 'wrapGenerate' | 'wrapStream'>;

/** The middleware as the installed `ai` expects it: unchanged under `ai` 7, bridged under `ai` 6. */
export function middlewareForInstalledAi<Middleware extends LanguageModelV4Middleware>(
  middleware: Middleware,
): Middleware {
  if (installedSpecificationVersion() === 'v4') return middleware;
  const { transformParams, wrapGenerate, wrapStream } = middleware;
  const hooks: V3Hooks = {};
  if (transformParams) {
    hooks.transformParams = async ({ params, type, model }) =>
      optionsToV3(await transformParams({ params: optionsToV4(params), type, model: asV4Model(model) }));
  }
  if (wrapGenerate) {
    hooks.wrapGenerate = async (v3) => generateToV3(await wrapGenerate(wrapArgumentsToV4(v3)));
  }
  if (wrapStream) {
    hooks.wrapStream = async (v3) => streamToV3(await wrapStream(wrapArgumentsToV4(v3)));
  }
  return { ...middleware, specificationVersion: 'v3', ...hooks } as unknown as Middleware;
}

type V3WrapArguments = Parameters<NonNullable<LanguageModelV3Middleware['wrapGenerate']>>[0];
type V4WrapArguments = Parameters<NonNullable<LanguageModelV4Middleware['wrapGenerate']>>[0];

/** What `ai` 6 hands a wrap hook, as a V4 hook takes it: results and options converted on the way in. */
function wrapArgumentsToV4({ doGenerate, doStream, params, model }: V3WrapArguments): V4WrapArguments {
  return {
    doGenerate: async () => generateToV4(await doGenerate()),
    doStream: async () => streamToV4(await doStream()),
    params: optionsToV4(params),
    model: asV4Model(model),
  };
}

/**
 * Options whose callbacks (`scope`, `tags`) get the call options as the installed `ai` spells
 * them, as their types say: the adapters hold V4 options, an `ai` 6 user's callback expects V3.
 */
export function callbacksForInstalledAi<Options extends object>(
  options: Options,
  names: ReadonlyArray<keyof Options>,
): Options {
  if (installedSpecificationVersion() === 'v4') return options;
  const converted = { ...options };
  for (const name of names) {
    const callback = options[name];
    if (typeof callback !== 'function') continue;
    converted[name] = ((params: LanguageModelV4CallOptions) =>
      callback(optionsToV3(params))) as Options[keyof Options];
  }
  return converted;
}

/** The router's V4 model as the installed `ai` calls it: a V3 model under `ai` 6. */
export function modelForInstalledAi<Model extends LanguageModelV4>(model: Model): Model {
  if (installedSpecificationVersion() === 'v4') return model;
  const v3: Pick<LanguageModelV3, 'specificationVersion' | 'doGenerate' | 'doStream'> = {
    specificationVersion: 'v3',
    doGenerate: async (options) => generateToV3(await model.doGenerate(optionsToV4(options))),
    doStream: async (options) => streamToV3(await model.doStream(optionsToV4(options))),
  };
  return { ...model, ...v3 } as unknown as Model;
}

/**
 * A V4 view of a model handed to us under `ai` 6 (a V3 model; `ai` 7 hands over V4 models and
 * converts V2 and V3 ones itself). V2 models are refused: their usage and finish reasons have
 * another shape, which would break the router's accounting.
 */
export function asV4Model(model: LanguageModelV2 | LanguageModelV3 | LanguageModelV4): LanguageModelV4 {
  if (model.specificationVersion === 'v4') return model;
  if (model.specificationVersion === 'v2') {
    throw new TypeError(
      `Model ${model.provider}:${model.modelId} implements specification V2, which the Tokenomics adapters accept only with ai 7.`,
    );
  }
  return {
    specificationVersion: 'v4',
    provider: model.provider,
    modelId: model.modelId,
    get supportedUrls() {
      return model.supportedUrls;
    },
    doGenerate: async (options) => generateToV4(await model.doGenerate(optionsToV3(options))),
    doStream: async (options) => streamToV4(await model.doStream(optionsToV3(options))),
  };
}

export function optionsToV4(options: LanguageModelV3CallOptions): LanguageModelV4CallOptions {
  return { ...options, prompt: promptToV4(options.prompt) } as LanguageModelV4CallOptions;
}

export function optionsToV3(options: LanguageModelV4CallOptions): LanguageModelV3CallOptions {
  return { ...options, prompt: promptToV3(options.prompt) } as LanguageModelV3CallOptions;
}

/** File parts change spelling; tool results are passed as they are, in both directions. */
function promptToV4(prompt: LanguageModelV3Prompt): LanguageModelV4Prompt {
  return prompt.map((message) => {
    if (message.role === 'system') return message;
    const content = message.content.map((part) =>
      part.type === 'file' ? { ...part, data: fileDataToV4(part.data) } : part,
    );
    return { ...message, content } as LanguageModelV4Prompt[number];
  });
}

function promptToV3(prompt: LanguageModelV4Prompt): LanguageModelV3Prompt {
  return prompt.map((message) => {
    if (message.role === 'system') return message;
    const content = message.content.map((part) =>
      part.type === 'file' ? { ...part, data: fileDataToV3(part.data) } : part,
    );
    return { ...message, content } as LanguageModelV3Prompt[number];
  });
}

export function fileDataToV4(data: Uint8Array | string | URL): SharedV4FileData {
  return data instanceof URL ? { type: 'url', url: data } : { type: 'data', data };
}

/** Text and provider references have no V3 spelling and pass as they are, as `ai` 7 does. */
function fileDataToV3(data: SharedV4FileData): Uint8Array | string | URL {
  switch (data.type) {
    case 'data':
      return data.data;
    case 'url':
      return data.url;
    default:
      return data as never;
  }
}

function generateToV4(result: LanguageModelV3GenerateResult): LanguageModelV4GenerateResult {
  return { ...result, content: result.content.map(partToV4) } as LanguageModelV4GenerateResult;
}

function generateToV3(result: LanguageModelV4GenerateResult): LanguageModelV3GenerateResult {
  return { ...result, content: result.content.map(partToV3) } as LanguageModelV3GenerateResult;
}

function streamToV4(result: LanguageModelV3StreamResult): LanguageModelV4StreamResult {
  return { ...result, stream: result.stream.pipeThrough(mapParts(partToV4)) } as LanguageModelV4StreamResult;
}

function streamToV3(result: LanguageModelV4StreamResult): LanguageModelV3StreamResult {
  return { ...result, stream: result.stream.pipeThrough(mapParts(partToV3)) } as LanguageModelV3StreamResult;
}

function partToV4<Part extends LanguageModelV3Content | LanguageModelV3StreamPart>(part: Part) {
  return (part.type === 'file' ? { ...part, data: fileDataToV4(part.data) } : part) as
    | LanguageModelV4Content
    | LanguageModelV4StreamPart;
}

/** An answer recorded under `ai` 7 may hold a file by URL; V3 answers carry bytes only, so it passes as is. */
function partToV3<Part extends LanguageModelV4Content | LanguageModelV4StreamPart>(part: Part) {
  return (part.type === 'file' && part.data.type === 'data' ? { ...part, data: part.data.data } : part) as
    | LanguageModelV3Content
    | LanguageModelV3StreamPart;
}

function mapParts<Input, Output>(map: (part: Input) => Output): TransformStream<Input, Output> {
  return new TransformStream({ transform: (part, controller) => controller.enqueue(map(part)) });
}
