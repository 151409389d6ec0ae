package io.arraymorph.bench;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.NdArray;
import io.arraymorph.testing.S3ProxyServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the optional workloads (HDF5, Spark) share with the suite.
 *
 * @param skip the suite's {@code --skip} list (e.g. {@code spark-reads} runs only Spark's writes)
 */
public record BenchContext(
    Timing timing,
    Report report,
    S3ProxyServer server,
    CountingRelay relay,
    Map<String, String> s3Settings,
    ArrayStore s3,
    ArrayStore local,
    Path work,
    NdArray field,
    String skip) {}
