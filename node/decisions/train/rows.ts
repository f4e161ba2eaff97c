/** Labelled subjects -> training rows (features computed exactly as decisions compute them). */
import { computeFeatures, type TrainingRow } from '../../../scoring';
import type { LabelledSubject } from './population';

/** Feature rows of `subjects` at `asOf`. */
export function trainingRows(subjects: readonly LabelledSubject[], asOf: Date): TrainingRow[] {
  return subjects.map((s) => ({ features: computeFeatures(s.inputs, asOf).values, label: s.label }));
}
