package io.arraymorph.store.s3;

import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.BulkDelete;
import io.arraymorph.store.IfMatchRangeReads;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.RangeRequests;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * An {@link ObjectStore} over one S3 bucket (AWS or any S3-compatible server), with keys relative
 * to the bucket; a location's prefix is applied by {@link io.arraymorph.store.PrefixedObjectStore}.
 * Every call is asynchronous on the SDK's client; retries, backoff and timeouts are the client's.
 */
public final class S3ObjectStore implements ObjectStore {
  private final S3StoreConfig config;
  private final S3AsyncClient client;

  /** The client whose CopyObject is one request ({@link S3Clients#singleRequestCopies}). */
  private final S3AsyncClient copier;

  private final S3Clients.Client clients;
  private final AwsCredentialsProvider credentials;
  private final S3Errors errors;

  /**
   * Calls in flight, bounded to {@code max_connections} for the JDK HTTP client ({@code
   * tls_ca_file}), which opens a connection per call beyond its idle ones and bounds none itself;
   * null for the CRT client, which bounds its connections. A multipart upload holds one slot.
   */
  private final AsyncLimiter inFlight;

  private final boolean adoptsBodies;

  /** Set once the bucket is known to exist, so a missing object is not a missing bucket. */
  private volatile boolean bucketSeen;

  /**
   * Opens a store over the configured bucket.
   *
   * @throws IllegalArgumentException naming the option at fault when the credentials are incomplete
   */
  public static S3ObjectStore open(S3StoreConfig config, StoreSettings settings) {
    AwsCredentialsProvider credentials = S3Clients.credentials(settings);
    return new S3ObjectStore(
        config, S3Clients.build(config, credentials), credentials, new S3Errors(config, settings));
  }

  private S3ObjectStore(
      S3StoreConfig config,
      S3Clients.Client clients,
      AwsCredentialsProvider credentials,
      S3Errors errors) {
    this.config = config;
    this.clients = clients;
    this.client = clients.sdk();
    this.copier = S3Clients.singleRequestCopies(client);
    this.credentials = credentials;
    this.errors = errors;
    this.inFlight =
        config.tlsCaFile().isPresent() ? new AsyncLimiter(config.maxConnections()) : null;
    this.adoptsBodies = clients.handsOverBodies();
  }

  public S3StoreConfig config() {
    return config;
  }

  @Override
  public CompletableFuture<byte[]> get(String key) {
    Keys.validate(key);
    return deadline(
            () ->
                client.getObject(
                    b -> b.bucket(config.bucket()).key(key),
                    new ByteArrayTransformer(adoptsBodies)))
        .handle(
            (bytes, failure) -> {
              if (failure == null) {
                bucketSeen = true;
                return checkedLength(bytes, key, "GET", wholeLength(bytes.response()));
              }
              // The CRT fetches whole objects with ranged GETs; an empty object answers 416.
              if (S3Errors.isRangeNotSatisfiable(failure)) {
                return new byte[0];
              }
              throw new CompletionException(errors.translate(failure, "GET", key));
            });
  }

  @Override
  public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
    return rangeGet(key, offset, length, null);
  }

  /** A ranged GET, with {@code If-Match: ifMatch} unless it is null. */
  private CompletableFuture<byte[]> rangeGet(String key, long offset, int length, String ifMatch) {
    Keys.validate(key);
    RangeRequests.check(key, offset, length);
    if (length == 0) {
      return RangeRequests.empty(this, key);
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    return deadline(
            () ->
                client.getObject(
                    b -> b.bucket(config.bucket()).key(key).range(range).ifMatch(ifMatch),
                    new ByteArrayTransformer(adoptsBodies)))
        .handle(
            (bytes, failure) -> {
              if (failure == null) {
                bucketSeen = true;
                return checkedLength(bytes, key, "ranged GET", bytes.response().contentLength());
              }
              // 416: the object exists but the range starts at or past its end.
              if (S3Errors.isRangeNotSatisfiable(failure)) {
                return new byte[0];
              }
              if (ifMatch != null && S3Errors.isConditionFailed(failure)) {
                throw new CompletionException(
                    new IfMatchRangeReads.ConditionFailed("412 Precondition Failed"));
              }
              throw new CompletionException(errors.translate(failure, "ranged GET", key));
            });
  }

  /**
   * Each range is a ranged GET with {@code If-Match} on the expected entity tag, so the check costs
   * no request: S3 (and S3Proxy) answer 412 when another object is at the key. Only a failed read
   * makes a HEAD, to say what changed. Without an expected tag, the default (a HEAD after).
   */
  @Override
  public CompletableFuture<Void> getRangesIfUnchanged(
      String key, ObjectInfo expected, long[] offsets, int[] lengths, RangeReader reader) {
    if (expected.tag() == null) {
      return ObjectStore.super.getRangesIfUnchanged(key, expected, offsets, lengths, reader);
    }
    return IfMatchRangeReads.read(
        this, key, expected, offsets, lengths, reader, (o, l, tag) -> rangeGet(key, o, l, tag));
  }

  @Override
  public boolean readsIfUnchanged() {
    return true;
  }

  @Override
  public CompletableFuture<Void> put(String key, byte[] data) {
    Keys.validate(key);
    Supplier<CompletableFuture<Void>> upload =
        () ->
            data.length > config.multipartThreshold()
                ? MultipartUpload.run(client, config.bucket(), key, data, config.partSize())
                    .thenApply(r -> (Void) null)
                : client
                    .putObject(
                        b -> b.bucket(config.bucket()).key(key).contentLength((long) data.length),
                        AsyncRequestBody.fromBytes(data))
                    .thenApply(r -> (Void) null);
    return deadline(upload)
        .handle(
            (r, failure) -> {
              if (failure != null) {
                throw new CompletionException(errors.translate(failure, "PUT", key));
              }
              bucketSeen = true;
              return null;
            });
  }

  /**
   * A single PutObject with {@code If-None-Match: *}: S3 answers 412 PreconditionFailed (or 409
   * ConditionalRequestConflict while a concurrent conditional write is in flight) when the key
   * exists. Small bodies only (locks): never a multipart upload.
   */
  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
    Keys.validate(key);
    return deadline(
            () ->
                client.putObject(
                    b ->
                        b.bucket(config.bucket())
                            .key(key)
                            .ifNoneMatch("*")
                            .contentLength((long) data.length),
                    AsyncRequestBody.fromBytes(data)))
        .handle(
            (r, failure) -> {
              if (failure == null) {
                bucketSeen = true;
                return true;
              }
              if (S3Errors.isConditionFailed(failure)) {
                return false;
              }
              throw new CompletionException(errors.translate(failure, "conditional PUT", key));
            });
  }

  /**
   * One server-side CopyObject request: the bytes stay in the bucket. S3 copies objects of up to 5
   * GiB in one request, and every object ArrayMorph copies (a staged chunk at publication) was PUT
   * from one byte array, so below 2 GiB; a larger source fails with S3's error naming the limit.
   */
  @Override
  public CompletableFuture<Void> copy(String from, String to) {
    Keys.validate(from);
    Keys.validate(to);
    return deadline(
            () ->
                copier.copyObject(
                    b ->
                        b.sourceBucket(config.bucket())
                            .sourceKey(from)
                            .destinationBucket(config.bucket())
                            .destinationKey(to)))
        .handle(
            (r, failure) -> {
              if (failure != null) {
                throw new CompletionException(errors.translate(failure, "COPY to " + to, from));
              }
              bucketSeen = true;
              return null;
            });
  }

  @Override
  // handle(...).thenCompose(f -> f) composes on success and failure alike: the nested future
  // is flattened at once, nothing is ignored.
  @SuppressWarnings("FutureReturnValueIgnored")
  public CompletableFuture<Optional<ObjectInfo>> head(String key) {
    Keys.validate(key);
    return deadline(() -> client.headObject(b -> b.bucket(config.bucket()).key(key)))
        .handle(
            (r, failure) -> {
              if (failure == null) {
                bucketSeen = true;
                return CompletableFuture.completedFuture(
                    Optional.of(new ObjectInfo(key, r.contentLength(), r.eTag())));
              }
              if (S3Errors.isNotFound(failure)) {
                // A HEAD 404 has no body to say whether the key or the bucket is missing.
                return ensureBucketExists().thenApply(x -> Optional.<ObjectInfo>empty());
              }
              return CompletableFuture.<Optional<ObjectInfo>>failedFuture(
                  errors.translate(failure, "HEAD", key));
            })
        .thenCompose(f -> f);
  }

  /** Fails with a message naming the bucket when it does not exist; checked once per store. */
  private CompletableFuture<Void> ensureBucketExists() {
    if (bucketSeen) {
      return CompletableFuture.completedFuture(null);
    }
    return deadline(() -> client.headBucket(b -> b.bucket(config.bucket())))
        .handle(
            (r, failure) -> {
              if (failure != null && S3Errors.isNotFound(failure)) {
                throw new CompletionException(errors.noSuchBucket(null));
              }
              // Success, or no permission to ask (403): the object is what is missing.
              bucketSeen = failure == null;
              return null;
            });
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefix) {
    List<ObjectInfo> found = Collections.synchronizedList(new ArrayList<>());
    return deadline(
            () ->
                client
                    .listObjectsV2Paginator(
                        b ->
                            b.bucket(config.bucket()).prefix(prefix).maxKeys(config.listPageSize()))
                    .contents()
                    .subscribe(o -> found.add(new ObjectInfo(o.key(), o.size()))))
        .handle(
            (done, failure) -> {
              if (failure != null) {
                throw new CompletionException(
                    errors.translate(failure, "LIST", prefix.isEmpty() ? null : prefix + "*"));
              }
              bucketSeen = true;
              List<ObjectInfo> sorted = new ArrayList<>(found);
              sorted.sort(Comparator.comparing(ObjectInfo::key));
              return sorted;
            });
  }

  /** One delimiter listing: S3 rolls the keys below each child prefix up into one entry. */
  @Override
  public CompletableFuture<Optional<List<String>>> listChildren(String prefix) {
    Set<String> names = ConcurrentHashMap.newKeySet();
    return deadline(
            () ->
                client
                    .listObjectsV2Paginator(
                        b ->
                            b.bucket(config.bucket())
                                .prefix(prefix)
                                .delimiter("/")
                                .maxKeys(config.listPageSize()))
                    .subscribe(
                        page -> {
                          page.contents()
                              .forEach(o -> names.add(o.key().substring(prefix.length())));
                          page.commonPrefixes()
                              .forEach(
                                  c ->
                                      names.add(
                                          c.prefix()
                                              .substring(
                                                  prefix.length(), c.prefix().length() - 1)));
                        }))
        .handle(
            (done, failure) -> {
              if (failure != null) {
                throw new CompletionException(
                    errors.translate(failure, "LIST", prefix.isEmpty() ? null : prefix + "*"));
              }
              bucketSeen = true;
              return Optional.of(names.stream().filter(n -> !n.isEmpty()).sorted().toList());
            });
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    Keys.validate(key);
    return deadline(() -> client.deleteObject(b -> b.bucket(config.bucket()).key(key)))
        .handle(
            (r, failure) -> {
              // S3 answers 204 for a missing key; a 404 from another server means the same.
              if (failure != null && !S3Errors.isMissingObject(failure)) {
                throw new CompletionException(errors.translate(failure, "DELETE", key));
              }
              return null;
            });
  }

  /** Keys of one DeleteObjects request: S3's limit. */
  static final int DELETE_BATCH = 1000;

  /** The first wait before keys a DeleteObjects refused retryably are sent again. */
  static final Duration DELETE_RETRY_DELAY = Duration.ofMillis(100);

  /**
   * DeleteObjects requests of up to 1000 keys, quiet (S3 answers only the keys it failed). The SDK
   * retries a failed request itself within {@code max_retries}, a response cut while read included
   * (checked with the fault proxy), so a request that still failed is not sent again: each of its
   * keys goes as one DELETE. Keys a 200 answer lists as InternalError or SlowDown are sent again
   * within {@code max_retries}, then one DELETE each; other refusals name their key.
   */
  @Override
  public CompletableFuture<Void> deleteAll(Collection<String> keys, int maxInFlight) {
    keys.forEach(Keys::validate);
    BulkDelete.Retries retries =
        new BulkDelete.Retries(
            config.maxRetries(),
            DELETE_RETRY_DELAY,
            Duration.ofSeconds(20),
            failure -> false,
            this::delete);
    return BulkDelete.inBatches(
        describe(), keys, DELETE_BATCH, maxInFlight, this::deleteBatch, retries);
  }

  private CompletableFuture<Map<String, BulkDelete.Refusal>> deleteBatch(List<String> keys) {
    List<ObjectIdentifier> objects =
        keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
    return deadline(
            () ->
                client.deleteObjects(
                    b -> b.bucket(config.bucket()).delete(d -> d.objects(objects).quiet(true))))
        .handle(
            (r, failure) -> {
              if (failure != null) {
                throw new CompletionException(
                    errors.translate(
                        failure,
                        "DeleteObjects (" + keys.size() + " keys, the first)",
                        keys.get(0)));
              }
              Map<String, BulkDelete.Refusal> failed = new LinkedHashMap<>();
              for (S3Error e : r.errors()) {
                // A missing key counts as deleted, as for one DELETE.
                if (!"NoSuchKey".equals(e.code())) {
                  failed.put(
                      e.key(),
                      new BulkDelete.Refusal(
                          e.code() + ": " + e.message(), S3Errors.isRetryableCode(e.code())));
                }
              }
              return failed;
            });
  }

  /**
   * The body of a successful GET, checked against the length the response announced: a body cut
   * short (a connection closed early) is an error, never data.
   */
  private byte[] checkedLength(
      ResponseBytes<GetObjectResponse> response, String key, String operation, Long expected) {
    byte[] bytes = response.asByteArrayUnsafe();
    if (expected != null && expected >= 0 && bytes.length != expected) {
      throw new CompletionException(
          new StoreException(
              "S3 "
                  + operation
                  + " of s3://"
                  + config.bucket()
                  + "/"
                  + key
                  + " at "
                  + config.endpointName()
                  + " returned "
                  + bytes.length
                  + " bytes but announced "
                  + expected
                  + " (connection cut short?); not using the truncated body"));
    }
    return bytes;
  }

  /** The whole object's length: the total of a Content-Range, else the Content-Length. */
  private static Long wholeLength(GetObjectResponse r) {
    String range = r.contentRange();
    if (range != null) {
      int slash = range.lastIndexOf('/');
      if (slash >= 0 && !range.endsWith("*")) {
        try {
          return Long.parseLong(range.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return r.contentLength();
  }

  /**
   * Bounds a call: every attempt, retries and backoff included, within {@link
   * S3StoreConfig#callTimeout()}. The CRT client has no per-attempt timeout of its own; it drops
   * stalled connections (no bytes for request_timeout_ms) and this deadline catches the rest, so no
   * call hangs.
   */
  private <T> CompletableFuture<T> deadline(Supplier<CompletableFuture<T>> call) {
    if (inFlight == null) {
      return call.get().orTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    // The deadline starts when the call does, not while it waits for a slot.
    return inFlight.submit(
        () -> call.get().orTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS));
  }

  @Override
  public String describe() {
    return config.describe();
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + describe() + "]";
  }

  @Override
  public void close() {
    clients.close();
    if (credentials instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }
}
