package io.arraymorph.spark;

import io.arraymorph.write.TaskResult;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/** A write task's core {@link TaskResult}, carried to the driver's commit. */
record SparkWriteCommitMessage(TaskResult result) implements WriterCommitMessage {}
