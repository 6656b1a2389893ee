import type { TrafficModelReport } from './train-from-traffic';

const LOADERS: Record<TrafficModelReport['name'], string> = {
  'router-prior': 'loadRouterPrior({ folder })',
  'answer-scorer': 'loadAnswerScorer({ folder })',
  'output-length': 'loadOutputLengthPredictor({ folder })',
  'cache-verifier': 'loadPairVerifier({ folder })',
};

/** The model card of a model retrained from a deployment's traffic: data, held-out numbers, command, how to load it. */
export function trafficModelCard(
  report: TrafficModelReport,
  context: { target: string; command: string; sources: string[]; seed: number },
): string {
  const metrics = Object.entries(report.heldOut?.metrics ?? {})
    .map(([name, value]) => `| ${name} | ${value ?? '—'} |`)
    .join('\n');
  return `# ${report.name} (retrained from traffic)

What it predicts: ${context.target}.

## Training data
${report.examples} graded examples from this deployment's own traffic, read from:
${context.sources.map((source) => `- \`${source}\``).join('\n')}

These are the deployment's records, not public data: the numbers below hold for this traffic only.

## Held out (${report.heldOut?.description ?? 'none'})
| metric | value |
|---|---|
${metrics}

## Use
\`\`\`ts
const folder = '<this folder>';
${LOADERS[report.name]}
\`\`\`

## Rebuild
\`\`\`
${context.command}
\`\`\`
(seed ${context.seed})
`;
}
