import type { Loader } from '../pipeline/pipeline.ts'
import { contentLoaders } from './content-loaders.ts'
import { groupLoaders } from './group-loaders.ts'

/**
 * The data loaders flows may name in `load:` (see flows/engine.ts, needData). Each reads the
 * database for one contact; none writes. A loader returns null for "nothing", never undefined.
 * One module per journey; add its loaders here.
 */
export const programmeLoaders: Record<string, Loader> = {
  ...groupLoaders,
  ...contentLoaders,
}
