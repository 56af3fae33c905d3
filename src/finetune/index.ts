export { namedModules } from './named-modules.js';
export { parameterPredicate, selectParameters, type NamedParameterOwner, type ParameterSelector } from './parameter-selector.js';
export {
  countParameters, defaultBlockIndex, freeze, freezeAllBut, freezeEmbeddings, freezeFirstBlocks, unfreeze,
  type FreezeBlocksOptions, type ParameterCounts,
} from './freeze.js';
