export { formatDollars, formatMs, formatRatio } from './format-number';
export { createProgressBar, type ProgressBar } from './progress-bar';
export { type Column, formatTable } from './table';
export { writeJsonFile } from './write-json-file';
