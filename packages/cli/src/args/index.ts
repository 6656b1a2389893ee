export {
  formatOptions,
  type OptionSpec,
  type OptionSpecs,
  type ParsedArguments,
  type ParsedOptions,
  parseArguments,
} from './parse-arguments';
export { UsageError } from './usage-error';
