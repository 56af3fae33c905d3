export type { CleaningStep, Removal, StepOutcome, Tally } from './cleaning-step.js';
export { cleanDocument, cleanDocuments, type CleaningReport, type StepReport } from './clean-documents.js';
export { countWords, isCjkCharacter, splitWords } from './words.js';
export { normalizeUnicode } from './normalize-unicode.js';
export { removeControlCharacters } from './remove-control-characters.js';
export { removeZeroWidth, type RemoveZeroWidthOptions } from './remove-zero-width.js';
export { normalizeWhitespace, type NormalizeWhitespaceOptions } from './normalize-whitespace.js';
export { decodeHtmlEntities } from './decode-html-entities.js';
export { stripHtml } from './strip-html.js';
export { C4_BOILERPLATE_PHRASES, filterLines, type FilterLinesOptions } from './filter-lines.js';
export { filterLength, type FilterLengthOptions } from './filter-length.js';
export { repetitionStats, type RepetitionStats } from './repetition-stats.js';
export {
  filterRepetition, GOPHER_REPETITION_THRESHOLDS, type FilterRepetitionOptions, type RepetitionThresholds,
} from './filter-repetition.js';
export { filterScript, scriptFraction, type FilterScriptOptions } from './filter-script.js';
export { maskPii, type MaskPiiOptions, type PiiReplacements } from './mask-pii.js';
