package io.arraymorph.spark.write;

import io.arraymorph.write.TaskChunks;
import io.arraymorph.write.TaskResult;
import java.util.List;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * A write task's report to the driver's commit: core's {@link TaskResult} (rows, largest indices)
 * and, per target dataset in plan order, the chunks it wrote whole and the fragments it staged.
 */
record SparkWriteCommitMessage(TaskResult result, List<TaskChunks> chunks)
    implements WriterCommitMessage {}
