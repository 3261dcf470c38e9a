import type { Loader } from '../pipeline/pipeline.ts'

/**
 * The data loaders flows may name in `load:` (see flows/engine.ts, needData). Each reads the
 * database for one contact; none writes. A loader returns null for "nothing", never undefined.
 * One module per journey; add its loaders here.
 */
export const programmeLoaders: Record<string, Loader> = {}
