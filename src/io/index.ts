/**
 * Reading and writing tensors: the safetensors format as pure bytes, conversions between its
 * dtypes and typed arrays, and tfjs-level save/load.
 * @module
 */
export {
  SAFETENSORS_DTYPES, SAFETENSORS_DTYPE_BYTES, checkRawTensor, elementCount, float32ToRawTensor,
  int32ToRawTensor, isFloatDtype, isSafetensorsDtype, rawTensorToFloat32, rawTensorToInt32,
} from './raw-tensor.js';
export type { RawTensor, SafetensorsDtype } from './raw-tensor.js';
export { decodeSafetensors, encodeSafetensors } from './safetensors-format.js';
export type { SafetensorsContents } from './safetensors-format.js';
export { loadSafetensors, saveSafetensors } from './safetensors-file.js';
export type { LoadedSafetensors } from './safetensors-file.js';
export { MODEL_FOLDER_FILES, readModelFolder, writeModelFolder, type ModelFolderContents } from './model-folder.js';
