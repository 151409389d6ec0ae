/**
 * Rechunking any readable dataset into a Zarr v3 dataset with other chunks (optionally sharded):
 * {@link io.arraymorph.rechunk.RechunkPlanner} plans source reads and target chunks. A plan that
 * moves nothing has each task read a box of whole target chunks and write them ({@link
 * io.arraymorph.rechunk.RechunkTasks#writeRegion}): direct when the chunkings nest, else one stage
 * (a source chunk read once per region it overlaps), chosen by the planner's cost model against two
 * stages, where reads are cut into {@link io.arraymorph.rechunk.Block}s (the pieces of target
 * chunks they hold), blocks are brought to the task owning their target chunk and assembled there
 * ({@link io.arraymorph.rechunk.ChunkAssembler}), and the result is published atomically through
 * {@link io.arraymorph.write.DatasetWrite}. {@link io.arraymorph.rechunk.LocalRechunk} runs a plan
 * on local threads; the Spark connector runs the same plan on executors, cutting each read slice
 * ({@link io.arraymorph.rechunk.RechunkPlan#slices}) into one {@link
 * io.arraymorph.rechunk.BlockPacks pack} per group of target chunks.
 */
package io.arraymorph.rechunk;
