package io.arraymorph.rechunk;

/**
 * What a finished rechunk did.
 *
 * @param targetDataset the target dataset's path
 * @param direct whether each task wrote the target chunks of its own box (no pieces moved)
 * @param readTasks the number of source reads
 * @param chunksWritten the number of target objects (chunks, or shards) written; the others hold
 *     only the fill value and have no object
 * @param arrayBytes the decoded bytes of the array
 * @param seconds the wall time from planning to publication
 * @param plan the plan in a sentence ({@link RechunkPlan#explain()}): one stage or two, why
 */
public record RechunkResult(
    String targetDataset,
    boolean direct,
    int readTasks,
    long chunksWritten,
    long arrayBytes,
    double seconds,
    String plan) {}
