/** Synthetic consortium generator (docs/data-standard.md §8). */
export { generateConsortium, writeConsortium, DEFAULT_SYNTH_AS_OF, type SynthOptions, type SynthConsortium, type SynthMember, type SynthFile } from './generate';
export type { InjectedDefect, DefectKind } from './defects';
export type { GroundTruth } from './model';
export { FORMATS, type FormatSpec } from './formats';
export { createPrng, type Prng } from './prng';
export { residentId } from './ids';
export { parseSynthArgs, runSynth, type SynthArgs, type SynthReport } from './cli';
