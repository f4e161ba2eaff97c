/**
 * Member adapters: the consortium data standard v1, mapping-driven import of member exports,
 * cleaning, signal derivation and the synthetic consortium (docs/data-standard.md, docs/mappings.md).
 */
export * from './standard';
export { parseMapping, loadMappingFile, formatMappingIssues, selectFileMapping, type MappingIssue, type MappingResult } from './mapping/validate';
export { MAPPING_FORMAT, type Mapping, type FileMapping, type FieldMapping, type Source } from './mapping/schema';
export { compileFileMapping, type RowMapper, type MapResult } from './mapping/compile';
export { readCsv, readNdjson, readSource, readSourceChunks, readFileSource, readFileSourceChunks, ReaderError, type ReadItem, type ReaderInput } from './readers';
export { REJECT_REASONS, type Reject, type RejectReason } from './clean/reasons';
export { createImportSession, type ImportDeps, type ImportSession, type ImportEvent, type ImportSummary, type AcceptedRecord } from './clean/pipeline';
export { createMemoryKeyIndex, knownKeysFromSet, NO_KNOWN_KEYS, type KnownKeys, type ImportKeyIndex } from './clean/keys-index';
export {
  createMemoryRecordStore, upsertOutcome, writeToStore,
  type RecordStore, type MemoryRecordStore, type StoredRecord, type UpsertOutcome, type StoreImportSummary, type WriteToStoreOptions,
} from './clean/store';
export { createRejectsWriter, formatReject, type RejectsWriter, type RejectsFormat } from './clean/rejects-writer';
export { planImport, runImport, importFiles, type PlannedFile, type ImportPlan } from './import';
export { deriveSignals, DEFAULT_REFUND_ABUSE_POLICY, SIGNAL_SOURCE_ENTITIES, type DesiredSignal, type DeriveOptions, type RefundAbusePolicy } from './derive/derive';
export { diffSignals, type PublishedSignal, type SignalDiff } from './derive/diff';
export { groupBySubject, emptySubjectRecords, type SubjectRecords, type TaggedRecord } from './derive/group';
export { generateConsortium, writeConsortium, DEFAULT_SYNTH_AS_OF, parseSynthArgs, runSynth, type SynthOptions, type SynthConsortium, type SynthArgs, type SynthReport } from './synth';
