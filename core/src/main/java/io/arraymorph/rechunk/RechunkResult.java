package io.arraymorph.rechunk;

/**
 * What a finished rechunk did.
 *
 * @param targetDataset the target dataset's path
 * @param direct whether read tasks wrote their own target chunks (no blocks moved)
 * @param readTasks the number of source reads
 * @param chunksWritten the number of target objects (chunks, or shards) written; the others hold
 *     only the fill value and have no object
 * @param arrayBytes the decoded bytes of the array
 * @param seconds the wall time from planning to publication
 */
public record RechunkResult(
    String targetDataset,
    boolean direct,
    int readTasks,
    long chunksWritten,
    long arrayBytes,
    double seconds) {}
