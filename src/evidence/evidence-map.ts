/**
 * Reader observations → fact values, by the rows of kb/evidence/*.yaml (data, not code). A row names an
 * observation key (a trailing ".*" matches a family, e.g. one key per port) and the fact it sets, with the
 * value as is (optionally scaled), a lookup table of values, or ordered ranges. A row whose fact is not in
 * the loaded KB yields a finding the caller reports, so the map can run ahead of kb/facts.
 */
import type { EvidenceMapRow, FactValue } from '../kb/types.js';
import { keyMatches } from './parsers/types.js';

/** The fact values an observation yields under the map (unknown facts included; the caller filters). */
export function mapObservation(rows: readonly EvidenceMapRow[], key: string, value: FactValue): { fact: string; value: FactValue; row: EvidenceMapRow }[] {
  const out: { fact: string; value: FactValue; row: EvidenceMapRow }[] = [];
  for (const row of rows) {
    if (!keyMatches(row.observation, key)) continue;
    let v: FactValue | undefined = value;
    if (row.values) v = row.values[String(value)];
    else if (row.ranges) {
      v = undefined;
      if (typeof value === 'number') {
        for (const r of row.ranges) {
          if ((r.ge === undefined || value >= r.ge) && (r.gt === undefined || value > r.gt) && (r.lt === undefined || value < r.lt) && (r.le === undefined || value <= r.le)) {
            v = r.value;
            break;
          }
        }
      }
    } else if (row.scale !== undefined && typeof value === 'number') v = Math.round(value * row.scale * 1000) / 1000;
    if (v !== undefined) out.push({ fact: row.fact, value: v, row });
  }
  return out;
}
