/**
 * Groups a text's units into segments, the coarse units of selection: a few-shot demonstration
 * (kept whole or dropped whole), a numbered document, a structured block (code, JSON, table:
 * never cut into), or a paragraph of prose.
 */
import type { PromptLayout } from './prompt-layout';
import type { TextUnit } from './text-units';

export type SegmentKind = 'demonstration' | 'document' | 'block' | 'heading' | 'paragraph';

export type Segment = {
  kind: SegmentKind;
  /** Kept whole or dropped whole (demonstrations, code, JSON values, tables). */
  whole: boolean;
};

const BLOCK_KINDS = new Set<TextUnit['kind']>(['code', 'json', 'table']);
const PARAGRAPH_BREAK = /\n[ \t]*\r?\n/;

/** The segment of each unit (indexes into `segments`), in text order. */
export function segmentUnits(
  units: readonly TextUnit[],
  layout: PromptLayout,
): { segmentOf: number[]; segments: Segment[] } {
  const demonstrations = new Set(layout.demonstrations);
  const lastDemonstration = layout.demonstrations[layout.demonstrations.length - 1] ?? -1;
  const documents = new Set(layout.documents);
  const segments: Segment[] = [];
  const segmentOf: number[] = [];
  let current: SegmentKind | undefined;
  let currentStart = -1;
  const open = (kind: SegmentKind, whole: boolean, start: number) => {
    segments.push({ kind, whole });
    current = kind;
    currentStart = start;
  };
  units.forEach((unit, index) => {
    const startsLine = index === 0 || unit.separatorBefore.includes('\n');
    const paragraphBreak = PARAGRAPH_BREAK.test(unit.separatorBefore);
    const inDemonstration = current === 'demonstration' && currentStart !== lastDemonstration;
    if (startsLine && demonstrations.has(unit.start)) open('demonstration', true, unit.start);
    else if (inDemonstration) {
      // A demonstration runs to the next one, blank lines and code included.
    } else if (current === 'demonstration' && !paragraphBreak) {
      // The last demonstration ends at its first blank line.
    } else if (startsLine && documents.has(unit.start)) open('document', false, unit.start);
    else if (unit.kind === 'heading') open('heading', true, unit.start);
    else if (BLOCK_KINDS.has(unit.kind) || unit.kind === 'json-open') {
      open('block', unit.kind !== 'json-open', unit.start);
    } else if (unit.kind === 'json-entry' || unit.kind === 'json-close') {
      // Entries of a JSON value stay in the value's segment.
    } else if (
      current === undefined ||
      current === 'block' ||
      current === 'heading' ||
      current === 'demonstration' ||
      paragraphBreak
    ) {
      open('paragraph', false, unit.start);
    }
    segmentOf.push(segments.length - 1);
  });
  return { segmentOf, segments };
}
