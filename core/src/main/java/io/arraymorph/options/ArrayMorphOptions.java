package io.arraymorph.options;

import static io.arraymorph.options.OptionScope.READ;
import static io.arraymorph.options.OptionScope.STORE;
import static io.arraymorph.options.OptionScope.WRITE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every option ArrayMorph accepts, declared once: the Spark source's read and write options, the
 * store options every door takes (Java API, Spark, command line) and their environment variables.
 * From here come the unknown-option warning, validation, which values are secrets, and the option
 * tables of docs/configuration.md and docs/spark.md ({@link OptionDocs}).
 *
 * <p>Precedence (applied by {@code StoreSettings.resolve} and the Spark binding): a per-read/write
 * option, then the Spark session's {@code spark.datasource.arraymorph.<option>}, then the option's
 * environment variable, then its default.
 */
public final class ArrayMorphOptions {
  private static final List<ArrayMorphOption<?>> ALL = new ArrayList<>();

  // ---- store options (every door) ----

  public static final ArrayMorphOption<String> STORAGE =
      add(
          ArrayMorphOption.builder("storage", OptionType.string())
              .scopes(STORE)
              .env("STORAGE_PLATFORM")
              .defaultText("implied by the URI")
              .doc(
                  "`S3`, `Azure`, `local`, `hadoop`. Only needed when a location does not say which"
                      + " store it is in (e.g. a bare key with `bucket`)."));

  public static final ArrayMorphOption<String> BUCKET =
      add(
          ArrayMorphOption.builder("bucket", OptionType.string())
              .scopes(STORE)
              .env("BUCKET_NAME")
              .doc("Bucket (S3) or container (Azure) for locations whose URI names none."));

  public static final ArrayMorphOption<String> ACCESS_KEY =
      add(
          ArrayMorphOption.builder("access_key", OptionType.string())
              .scopes(STORE)
              .secret()
              .env("AWS_ACCESS_KEY_ID")
              .defaultText("AWS default credential chain")
              .doc("S3 access key ID."));

  public static final ArrayMorphOption<String> SECRET_KEY =
      add(
          ArrayMorphOption.builder("secret_key", OptionType.string())
              .scopes(STORE)
              .secret()
              .env("AWS_SECRET_ACCESS_KEY")
              .defaultText("AWS default credential chain")
              .doc("S3 secret access key."));

  public static final ArrayMorphOption<String> SESSION_TOKEN =
      add(
          ArrayMorphOption.builder("session_token", OptionType.string())
              .scopes(STORE)
              .secret()
              .env("AWS_SESSION_TOKEN")
              .doc("Session token of temporary S3 credentials."));

  public static final ArrayMorphOption<Boolean> ANONYMOUS =
      add(
          ArrayMorphOption.builder("anonymous", OptionType.bool())
              .scopes(STORE)
              .defaultValue(false, "`false`")
              .doc("S3: send unsigned requests (public buckets), ignoring any credentials."));

  public static final ArrayMorphOption<String> REGION =
      add(
          ArrayMorphOption.builder("region", OptionType.string())
              .scopes(STORE)
              .env("AWS_REGION")
              .defaultText("`us-east-2` (as ArrayMorph)")
              .doc("SigV4 signing region."));

  public static final ArrayMorphOption<String> ENDPOINT =
      add(
          ArrayMorphOption.builder("endpoint", OptionType.string())
              .scopes(STORE)
              .env("AWS_ENDPOINT_URL_S3")
              .defaultText("AWS")
              .doc(
                  "S3-compatible endpoint: `host[:port]` or an `http://`/`https://` URL (MinIO,"
                      + " Ceph, Garage, S3Proxy). A scheme in the URL must agree with `use_tls`."));

  public static final ArrayMorphOption<Boolean> USE_TLS =
      add(
          ArrayMorphOption.builder("use_tls", OptionType.bool())
              .scopes(STORE)
              .env("AWS_USE_TLS")
              .defaultValue(true, "`true`")
              .doc("`true` = https, `false` = http, for an `endpoint` given without a scheme."));

  public static final ArrayMorphOption<String> TLS_CA_FILE =
      add(
          ArrayMorphOption.builder("tls_ca_file", OptionType.string())
              .scopes(STORE)
              .env("ARRAYMORPH_TLS_CA_FILE")
              .doc(
                  "S3 and Azure: path of a PEM file with one or more CA certificates (a private or"
                      + " test CA) to trust **in addition to** the JVM's CAs. Chains, expiry and"
                      + " host names are still verified; there is no trust-all switch. See"
                      + " [TLS with a private CA](configuration.md#tls-with-a-private-ca)."));

  public static final ArrayMorphOption<String> ADDRESSING_STYLE =
      add(
          ArrayMorphOption.builder(
                  "addressing_style",
                  OptionType.choice("path", "virtual", "virtual_host", "virtual-hosted"))
              .scopes(STORE)
              .env("AWS_S3_ADDRESSING_STYLE")
              .defaultText("`path` with a custom `endpoint`, `virtual` on AWS")
              .doc(
                  "`path` (`endpoint/bucket/key`) or `virtual` (`bucket.endpoint/key`)."
                      + " ArrayMorph's C++ plugin reads this variable inverted by mistake;"
                      + " ArrayMorph for Spark reads it as written."));

  public static final ArrayMorphOption<Boolean> SIGNED_PAYLOADS =
      add(
          ArrayMorphOption.builder("signed_payloads", OptionType.bool())
              .scopes(STORE)
              .env("AWS_SIGNED_PAYLOADS")
              .defaultValue(false, "`false`")
              .doc(
                  "Include request bodies in the SigV4 signature; some S3-compatible stores"
                      + " require it."));

  public static final ArrayMorphOption<String> CONNECTION_STRING =
      add(
          ArrayMorphOption.builder("connection_string", OptionType.string())
              .scopes(STORE)
              .secret()
              .env("AZURE_STORAGE_CONNECTION_STRING")
              .doc("Azure Storage connection string (account and key or SAS)."));

  public static final ArrayMorphOption<String> SAS_TOKEN =
      add(
          ArrayMorphOption.builder("sas_token", OptionType.string())
              .scopes(STORE)
              .secret()
              .doc("Azure shared access signature, instead of a connection string."));

  public static final ArrayMorphOption<String> ACCOUNT_KEY =
      add(
          ArrayMorphOption.builder("account_key", OptionType.string())
              .scopes(STORE)
              .secret()
              .doc("Azure storage account key, instead of a connection string."));

  public static final ArrayMorphOption<String> ACCOUNT_NAME =
      add(
          ArrayMorphOption.builder("account_name", OptionType.string())
              .scopes(STORE)
              .defaultText("from the URI")
              .doc("Azure storage account when the URI has no `@account` part."));

  public static final ArrayMorphOption<Integer> MAX_CONCURRENCY =
      add(
          ArrayMorphOption.builder("max_concurrency", OptionType.positiveInt())
              .scopes(STORE, READ, WRITE)
              .defaultValue(16, "`16`")
              .doc(
                  "Chunk requests in flight per reader or writer (per Spark task, or per"
                      + " command)."));

  public static final ArrayMorphOption<Integer> LOCAL_IO_THREADS =
      add(
          ArrayMorphOption.builder("local_io_threads", OptionType.positiveInt())
              .scopes(STORE)
              .defaultValue(8, "`8`")
              .doc(
                  "Threads of the local filesystem store doing blocking file I/O (per opened"
                      + " store)."));

  public static final ArrayMorphOption<Integer> HADOOP_IO_THREADS =
      add(
          ArrayMorphOption.builder("hadoop_io_threads", OptionType.positiveInt())
              .scopes(STORE)
              .defaultValue(16, "`16`")
              .doc(
                  "Threads of the Hadoop FileSystem store doing blocking I/O (per opened store)."));

  public static final ArrayMorphOption<Integer> MAX_CONNECTIONS =
      add(
          ArrayMorphOption.builder("max_connections", OptionType.positiveInt())
              .scopes(STORE)
              .defaultValue(64, "`64`")
              .doc("S3 and Azure: HTTP connections per store client."));

  public static final ArrayMorphOption<Integer> CONNECT_TIMEOUT_MS =
      add(
          ArrayMorphOption.builder("connect_timeout_ms", OptionType.positiveInt())
              .scopes(STORE)
              .defaultValue(10_000, "`10000`")
              .doc("S3 and Azure: milliseconds to open a connection."));

  public static final ArrayMorphOption<Integer> REQUEST_TIMEOUT_MS =
      add(
          ArrayMorphOption.builder("request_timeout_ms", OptionType.positiveInt())
              .scopes(STORE)
              .defaultValue(60_000, "`60000`")
              .doc("S3 and Azure: milliseconds a request may stall (or, for some clients, take)."));

  public static final ArrayMorphOption<Integer> MAX_RETRIES =
      add(
          ArrayMorphOption.builder("max_retries", OptionType.nonNegativeInt())
              .scopes(STORE)
              .defaultValue(3, "`3`")
              .doc("S3 and Azure: retries of a failed request (`0`: none)."));

  public static final ArrayMorphOption<Integer> RETRY_DELAY_MS =
      add(
          ArrayMorphOption.builder("retry_delay_ms", OptionType.positiveInt())
              .scopes(STORE)
              .defaultValue(200, "`200`")
              .doc("Azure: base delay in milliseconds between retries (exponential backoff)."));

  public static final ArrayMorphOption<Integer> MULTIPART_THRESHOLD =
      add(
          ArrayMorphOption.builder("multipart_threshold", OptionType.positiveInt())
              .scopes(STORE)
              .defaultValue(16 * 1024 * 1024, "`16777216` (16 MiB)")
              .doc("S3 and Azure: objects from this many bytes on are uploaded in parts."));

  public static final ArrayMorphOption<Integer> MULTIPART_PART_SIZE =
      add(
          ArrayMorphOption.builder("multipart_part_size", OptionType.positiveInt())
              .scopes(STORE)
              .defaultValue(8 * 1024 * 1024, "`8388608` (8 MiB)")
              .doc("S3 and Azure: bytes per uploaded part."));

  public static final ArrayMorphOption<Integer> LIST_PAGE_SIZE =
      add(
          ArrayMorphOption.builder("list_page_size", OptionType.positiveInt())
              .scopes(STORE)
              .defaultText("`1000` (S3, its maximum), `5000` (Azure)")
              .doc("S3 and Azure: keys per listing request."));

  public static final ArrayMorphOption<Double> REQUEST_LATENCY_MS =
      add(
          ArrayMorphOption.builder("request_latency_ms", OptionType.positiveNumber())
              .scopes(STORE)
              .defaultText("the store's")
              .doc(
                  "Latency of one request in the cost model that chooses whole-chunk GETs or"
                      + " byte-range reads."));

  public static final ArrayMorphOption<Double> REQUEST_BANDWIDTH_MBPS =
      add(
          ArrayMorphOption.builder("request_bandwidth_mbps", OptionType.positiveNumber())
              .scopes(STORE)
              .defaultText("the store's")
              .doc(
                  "Bandwidth (MB/s) of one request in the cost model that chooses whole-chunk"
                      + " GETs or byte-range reads."));

  // ---- read and write options (Spark source; dtype also the Java API and command line) ----

  public static final ArrayMorphOption<String> PATH =
      add(
          ArrayMorphOption.builder("path", OptionType.string())
              .scopes(READ, WRITE)
              .defaultText("from `load(uri)` / `save(uri)`")
              .doc("The store location."));

  public static final ArrayMorphOption<String> PATHS =
      add(
          ArrayMorphOption.builder("paths", OptionType.string())
              .scopes(READ)
              .defaultText("from `load(p1, p2, ...)`")
              .doc(
                  "Several locations (a comma-separated list, a JSON array, or globs): many files"
                      + " read as one table."));

  public static final ArrayMorphOption<String> DATASET =
      add(
          ArrayMorphOption.builder("dataset", OptionType.string())
              .scopes(READ, WRITE)
              .defaultText("required (read: unless `list`; write: with one value column)")
              .doc(
                  "Path of the dataset inside the location, e.g. `values` or `group/temperature`;"
                      + " for HDF5/NetCDF4 the HDF5 path. A write with several value columns"
                      + " makes one dataset per column, named after it (`<dataset>/<column>` when"
                      + " `dataset` is set)."));

  public static final ArrayMorphOption<List<String>> DATASETS =
      add(
          ArrayMorphOption.builder("datasets", OptionType.nameList())
              .scopes(READ, WRITE)
              .doc(
                  "Comma-separated datasets: a read puts same-shaped datasets side by side as"
                      + " value columns (like xarray variables); a write names one per value"
                      + " column, in order. Overrides `dataset`."));

  public static final ArrayMorphOption<String> LAYOUT =
      add(
          ArrayMorphOption.builder("layout", OptionType.choice("cells", "rows"))
              .scopes(READ, WRITE)
              .defaultValue("cells", "`cells`")
              .doc(
                  "`cells`: one row per element, one `long` column per dimension then one value"
                      + " column per dataset. `rows`: one row per index of the first axis, the"
                      + " remaining axes as a nested array column (a write takes one array-typed"
                      + " column per row, as a `rows` read produces)."));

  public static final ArrayMorphOption<String> LIST =
      add(
          ArrayMorphOption.builder("list", OptionType.choice("datasets", "chunks"))
              .scopes(READ)
              .doc(
                  "Metadata instead of data. `datasets`: one row per group/dataset (path, kind,"
                      + " shape, dtype, chunks, codecs, attributes). `chunks`: one row per stored"
                      + " chunk object."));

  public static final ArrayMorphOption<Long> PARTITION_BYTES =
      add(
          ArrayMorphOption.builder("partition_bytes", OptionType.positiveLong())
              .scopes(READ)
              .defaultValue(128L << 20, "`134217728` (128 MiB)")
              .doc("Target decoded bytes per input partition; partitions hold whole chunks."));

  public static final ArrayMorphOption<Boolean> PUSH_AGGREGATES =
      add(
          ArrayMorphOption.builder("push_aggregates", OptionType.bool())
              .scopes(READ)
              .defaultValue(true, "`true`")
              .doc(
                  "In the `cells` layout of one store or file: `count`, `sum`, `min`, `max` (and"
                      + " `avg`, which Spark splits into sum and count) of one numeric value column"
                      + " without `GROUP BY`, with every filter pushed, are computed by each task"
                      + " as it decodes its chunks; Spark adds up one partial row per task. Not"
                      + " for uint64, bool, CF-decoded or nullable columns. `false`: Spark"
                      + " aggregates the rows."));

  public static final ArrayMorphOption<Boolean> DECODE_CF =
      add(
          ArrayMorphOption.builder("decode_cf", OptionType.bool())
              .scopes(READ)
              .defaultValue(true, "`true`")
              .doc(
                  "NetCDF CF decoding (`_Unsigned`, missing values, valid ranges, packing, times"
                      + " in every CF calendar); `false`: raw stored values."));

  public static final ArrayMorphOption<Boolean> COORDINATE_VALUES =
      add(
          ArrayMorphOption.builder("coordinate_values", OptionType.bool())
              .scopes(READ)
              .defaultValue(false, "`false`")
              .doc(
                  "With `decode_cf`, in the `cells` layout: a dimension with a numeric 1-D CF"
                      + " coordinate variable (e.g. `lat`, `lon`) becomes a `double` column of the"
                      + " coordinate's values instead of its index, and filters on it select"
                      + " chunks through the coordinate (binary search when monotonic)."));

  public static final ArrayMorphOption<Integer> OPEN_PARALLELISM =
      add(
          ArrayMorphOption.builder("open_parallelism", OptionType.positiveInt())
              .scopes(READ)
              .defaultValue(16, "`16`")
              .doc("Files whose metadata the driver opens concurrently in many-files reads."));

  public static final ArrayMorphOption<Integer> EXECUTOR_OPEN_THRESHOLD =
      add(
          ArrayMorphOption.builder("executor_open_threshold", OptionType.positiveInt())
              .scopes(READ)
              .defaultValue(512, "`512`")
              .doc(
                  "From this many files on, file metadata is opened by a Spark job on the"
                      + " executors instead of the driver."));

  public static final ArrayMorphOption<String> DTYPE =
      add(
          ArrayMorphOption.builder("dtype", OptionType.string())
              .scopes(READ, WRITE)
              .commandLine()
              .defaultText("write: from the column type")
              .doc(
                  "Write: the stored type (`bool`, `int8`...`int64`, `uint8`...`uint64`,"
                      + " `float16`, `float32`, `float64`). Read: the element type of"
                      + " ArrayMorph-layout datasets whose stored type is ambiguous"
                      + " ([format](format.md))."));

  public static final ArrayMorphOption<List<String>> DIMS =
      add(
          ArrayMorphOption.builder("dims", OptionType.nameList())
              .scopes(WRITE)
              .defaultText("columns named like the array's dimensions, else `dim_0, dim_1, ...`")
              .doc(
                  "Comma-separated integral columns holding the element indices, in dimension order."));

  public static final ArrayMorphOption<long[]> SHAPE =
      add(
          ArrayMorphOption.builder("shape", OptionType.longList())
              .scopes(WRITE)
              .defaultText("max index + 1 per dimension")
              .doc(
                  "Array shape, comma-separated. When appending, leave it out (an append grows the"
                      + " stored shape to hold its indices) or give the stored shape."));

  public static final ArrayMorphOption<long[]> CHUNKS =
      add(
          ArrayMorphOption.builder("chunks", OptionType.longList())
              .scopes(WRITE)
              .defaultText(
                  "the existing array's, else chosen (up to about 2 MiB decoded per chunk)")
              .doc("Chunk shape, comma-separated: `10,10`."));

  public static final ArrayMorphOption<long[]> SHARDS =
      add(
          ArrayMorphOption.builder("shards", OptionType.longList())
              .scopes(WRITE)
              .defaultText("none (one object per chunk)")
              .doc(
                  "Shard shape, comma-separated, each extent a multiple of `chunks`: chunks are"
                      + " stored in shards (Zarr v3 `sharding_indexed`), one object per shard."
                      + " An append may give the stored shard shape only."));

  public static final ArrayMorphOption<String> CHUNK_KEY_ENCODING =
      add(
          ArrayMorphOption.builder("chunk_key_encoding", OptionType.choice("default", "v2"))
              .scopes(WRITE)
              .defaultValue("default", "`default`")
              .doc(
                  "How a new dataset's chunk keys are spelled: `default` (`c/1/2`) or `v2`"
                      + " (`1.2`). An append keeps the stored encoding; giving another is an"
                      + " error."));

  public static final ArrayMorphOption<String> CHUNK_KEY_SEPARATOR =
      add(
          ArrayMorphOption.builder("chunk_key_separator", OptionType.choice("/", "."))
              .scopes(WRITE)
              .defaultText("`/` for `default`, `.` for `v2`")
              .doc("The separator of chunk key parts under `chunk_key_encoding`."));

  public static final ArrayMorphOption<String> CODEC =
      add(
          ArrayMorphOption.builder("codec", OptionType.choice("none", "gzip", "zstd"))
              .scopes(WRITE)
              .defaultValue("none", "`none`")
              .doc("Chunk compression: `gzip`, `zstd` or `none`."));

  public static final ArrayMorphOption<String> FILL_VALUE =
      add(
          ArrayMorphOption.builder("fill_value", OptionType.string())
              .scopes(WRITE)
              .defaultValue("0", "`0`")
              .doc("Value of elements never written (`nan` allowed for floating-point types)."));

  public static final ArrayMorphOption<Duration> LOCK_TIMEOUT =
      add(
          ArrayMorphOption.builder("lock_timeout", OptionType.duration())
              .scopes(WRITE)
              .defaultValue(Duration.ofHours(1), "`1h`")
              .doc(
                  "Lease of a write's dataset lock (seconds, or `ms`/`s`/`m`/`h`): another writer"
                      + " takes over a lock older than this, so keep it above the longest write."));

  public static final ArrayMorphOption<Duration> TASK_END_TIMEOUT =
      add(
          ArrayMorphOption.builder("task_end_timeout", OptionType.duration())
              .scopes(WRITE)
              .defaultValue(Duration.ofSeconds(30), "`30s`")
              .doc(
                  "How long a Spark write's commit or abort waits for attempts of its tasks Spark"
                      + " is still killing (such as losing speculative attempts; seconds, or"
                      + " `ms`/`s`/`m`/`h`). A commit refuses to publish if one still runs after"
                      + " it; an abort then cleans up anyway."));

  public static final ArrayMorphOption<Long> WRITE_BUFFER_BYTES =
      add(
          ArrayMorphOption.builder("write_buffer_bytes", OptionType.positiveLong())
              .scopes(WRITE)
              .defaultValue(128L << 20, "`134217728` (128 MiB)")
              .doc(
                  "Bytes of chunk buffers one write task holds at once (per Spark task, shared by"
                      + " the datasets it writes). Rows may arrive in any order: a chunk whose"
                      + " elements are all given is written at once; past this budget the least"
                      + " recently touched partial chunks are staged as fragments and merged at"
                      + " commit. A task's memory is about this budget plus `max_concurrency`"
                      + " encoded chunks in flight, plus up to 4 fragment packs of 8 MiB being"
                      + " staged."));

  public static final ArrayMorphOption<Long> DRIVER_MERGE_BYTES =
      add(
          ArrayMorphOption.builder("driver_merge_bytes", OptionType.positiveLong())
              .scopes(WRITE)
              .defaultValue(64L << 20, "`67108864` (64 MiB)")
              .doc(
                  "Staged fragment bytes (see `write_buffer_bytes`) that a Spark write's commit"
                      + " merges on the driver; above this a Spark job launched by the commit"
                      + " merges them in parallel tasks."));

  public static final ArrayMorphOption<Long> RECHUNK_MEMORY =
      add(
          ArrayMorphOption.builder("rechunk_memory", OptionType.positiveLong())
              .scopes(WRITE)
              .defaultValue(256L << 20, "`268435456` (256 MiB)")
              .doc(
                  "Rechunk only: decoded array bytes one task holds at once (a source read of"
                      + " about half of it and its pieces, the target chunks being assembled, or"
                      + " a one-stage region's target chunks plus two source slices of at most 4"
                      + " MiB);"
                      + " a single target chunk or shard larger than this is still held whole."
                      + " On local threads, pieces spill to a temporary directory when the array"
                      + " exceeds it; Spark's shuffle spills under Spark's own memory settings."));

  public static final ArrayMorphOption<String> RECHUNK_PLAN =
      add(
          ArrayMorphOption.builder(
                  "rechunk_plan", OptionType.choice("auto", "one_stage", "two_stage"))
              .scopes(WRITE)
              .defaultValue("auto", "`auto`")
              .doc(
                  "Rechunk only: `one_stage` (each task owns a region of target chunks and reads"
                      + " every source chunk it overlaps, so a source chunk overlapping several"
                      + " regions is read and decoded once per region; nothing is shuffled),"
                      + " `two_stage` (read tasks cut their reads into pieces shuffled to the tasks"
                      + " owning the target chunks), or `auto`: the planner's cost model weighs"
                      + " the extra source reads against the bytes shuffled (see docs/spark.md)."));

  /**
   * Prefixes of properties passed through to Hadoop ({@code fs.s3a.endpoint}) and of keys set by
   * ArrayMorph itself ({@code __...}): not typos.
   */
  private static final List<String> PASS_THROUGH_PREFIXES =
      List.of("fs.", "hadoop.", "spark.hadoop.", "__");

  /**
   * Key words of passed-through properties whose values are secrets ({@code fs.s3a.secret.key},
   * {@code fs.azure.sas.token}...), beyond ArrayMorph's own secret options.
   */
  private static final Pattern PASS_THROUGH_SECRET =
      Pattern.compile("(?i).*(secret|password|token|credential|\\.key|sas|connection_string).*");

  /** Prefix catalog tables put before options ({@code option.chunks}). */
  private static final String CATALOG_PREFIX = "option.";

  private static final Map<String, ArrayMorphOption<?>> BY_NAME = byName();

  private ArrayMorphOptions() {}

  private static <T> ArrayMorphOption<T> add(ArrayMorphOption<T> option) {
    ALL.add(option);
    return option;
  }

  private static Map<String, ArrayMorphOption<?>> byName() {
    Map<String, ArrayMorphOption<?>> m = new LinkedHashMap<>();
    for (ArrayMorphOption<?> o : ALL) {
      if (m.put(o.name(), o) != null) {
        throw new IllegalStateException("Option declared twice: " + o.name());
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** Every option, in declaration order (the order of the documentation tables). */
  public static List<ArrayMorphOption<?>> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The options read in {@code scope}, in declaration order. */
  public static List<ArrayMorphOption<?>> in(OptionScope scope) {
    return ALL.stream().filter(o -> o.scopes().contains(scope)).toList();
  }

  /** The option called {@code name} (case-insensitive; a catalog's {@code option.} prefix too). */
  public static Optional<ArrayMorphOption<?>> find(String name) {
    return Optional.ofNullable(BY_NAME.get(normalize(name)));
  }

  /** Option name to environment variable, for every option that has one. */
  public static Map<String, String> environmentVariables() {
    Map<String, String> m = new LinkedHashMap<>();
    ALL.forEach(o -> o.environmentVariable().ifPresent(v -> m.put(o.name(), v)));
    return Collections.unmodifiableMap(m);
  }

  /** The names of the secret options. */
  public static Set<String> secretNames() {
    return ALL.stream()
        .filter(ArrayMorphOption::secret)
        .map(ArrayMorphOption::name)
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Whether a key's value must never be shown: a secret option, or a passed-through property whose
   * name says secret, password, token, credential, key or SAS.
   */
  public static boolean isSecret(String key) {
    return find(key).map(ArrayMorphOption::secret).orElse(false)
        || PASS_THROUGH_SECRET.matcher(key).matches();
  }

  /**
   * A case-insensitive regular expression matching the keys {@link #isSecret} calls secret, for
   * tools that redact by key pattern (Spark's {@code spark.sql.redaction.options.regex}).
   */
  public static String secretKeyRegex() {
    return "(?i)"
        + secretNames().stream().sorted().collect(Collectors.joining("|"))
        + "|account[._]?key|access[._]?key|sas[._]?token|secret|password|token|credential"
        + "|\\.key|sas";
  }

  /**
   * The keys of {@code options} that no part of ArrayMorph reads among the options {@code accepted}
   * keeps (lower-cased, sorted); passed-through Hadoop properties are never unknown.
   */
  public static Set<String> unknown(
      Collection<String> keys, Predicate<ArrayMorphOption<?>> accepted) {
    Set<String> out = new TreeSet<>();
    for (String key : keys) {
      String k = normalize(key);
      boolean known = find(k).filter(accepted).isPresent();
      if (!known && PASS_THROUGH_PREFIXES.stream().noneMatch(k::startsWith)) {
        out.add(k);
      }
    }
    return out;
  }

  /** The keys no part of ArrayMorph reads, whatever the door. */
  public static Set<String> unknown(Collection<String> keys) {
    return unknown(keys, o -> true);
  }

  /**
   * A warning naming the unknown keys with the closest known name of each, e.g. {@code ignoring
   * unknown option(s) [chunk (did you mean 'chunks'?)]}; empty when every key is known. Names only:
   * a value may be a secret.
   */
  public static Optional<String> unknownWarning(
      Collection<String> keys, Predicate<ArrayMorphOption<?>> accepted) {
    Set<String> unknown = unknown(keys, accepted);
    if (unknown.isEmpty()) {
      return Optional.empty();
    }
    List<String> named = new ArrayList<>();
    for (String k : unknown) {
      named.add(suggestion(k, accepted).map(s -> k + " (did you mean '" + s + "'?)").orElse(k));
    }
    return Optional.of(
        "arraymorph: ignoring unknown option(s) " + named + "; see docs/configuration.md");
  }

  /** The accepted option name closest to a misspelled one, if one is close enough. */
  public static Optional<String> suggestion(String name, Predicate<ArrayMorphOption<?>> accepted) {
    String k = normalize(name);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (ArrayMorphOption<?> o : ALL) {
      if (!accepted.test(o)) {
        continue;
      }
      int d = EditDistance.between(k, o.name());
      if (d < bestDistance) {
        best = o.name();
        bestDistance = d;
      }
    }
    // Close enough: a third of the name's letters at most (chunk -> chunks, secretkey ->
    // secret_key), so that unrelated names get no suggestion.
    return best != null && bestDistance <= Math.max(1, k.length() / 3)
        ? Optional.of(best)
        : Optional.empty();
  }

  /**
   * Checks every ArrayMorph option present in {@code options} (resolved, names lower-cased).
   *
   * @throws IllegalArgumentException for the first value an option does not accept, naming the
   *     option, the value (unless secret) and what it accepts
   */
  public static void validate(Map<String, String> options) {
    options.forEach(
        (key, value) -> {
          if (value != null && !value.isBlank()) {
            find(key).ifPresent(o -> o.parse(value));
          }
        });
  }

  /** Lower-cases a key and strips the {@code option.} prefix catalog tables add. */
  public static String normalize(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.startsWith(CATALOG_PREFIX) ? k.substring(CATALOG_PREFIX.length()) : k;
  }
}
