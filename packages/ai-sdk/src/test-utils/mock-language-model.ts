import type { MockLanguageModelV4 } from 'ai/test';
import * as aiTest from 'ai/test';
import { installedSpecificationVersion } from '../installed-specification';

type MockSettings = ConstructorParameters<typeof MockLanguageModelV4>[0];
type MockConstructor = new (settings: MockSettings) => MockLanguageModelV4;

/**
 * The installed `ai`'s own mock model: `MockLanguageModelV4` under `ai` 7, `MockLanguageModelV3`
 * under `ai` 6 (which has no V4 mock and refuses V4 models). The same tests then run under both
 * releases; the answers they script (text, reasoning, tool calls) have one shape in V3 and V4.
 */
export function mockLanguageModel(settings: MockSettings): MockLanguageModelV4 {
  const mocks = aiTest as unknown as Record<string, MockConstructor | undefined>;
  const name = installedSpecificationVersion() === 'v4' ? 'MockLanguageModelV4' : 'MockLanguageModelV3';
  const Mock = mocks[name];
  if (!Mock) throw new Error(`ai/test has no ${name}`);
  return new Mock(settings);
}
