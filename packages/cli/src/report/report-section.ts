/** The charts a report can hold, in the order they appear. */
export const SECTION_IDS = [
  'spend',
  'savings-by-stage',
  'quality-cost',
  'cache-threshold',
  'compression',
] as const;

export type SectionId = (typeof SECTION_IDS)[number];

export const SECTION_TITLES: Record<SectionId, string> = {
  spend: 'Spend against the baseline over time',
  'savings-by-stage': 'Savings by stage',
  'quality-cost': 'Quality against dollars',
  'cache-threshold': 'Cache precision and recall against the threshold',
  compression: 'Compression ratio against answer retention',
};

/** One chart of the report: drawn when the input has its data, else a note saying what is missing. */
export type ReportSection = {
  id: SectionId;
  /** HTML: an inline SVG chart and its legend. */
  chart?: string;
  /** Key numbers, one sentence each. */
  facts?: string[];
  /** Why the chart is missing, or a caveat about it. */
  note?: string;
};
