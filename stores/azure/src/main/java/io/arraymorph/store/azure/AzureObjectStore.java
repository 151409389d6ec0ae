package io.arraymorph.store.azure;

import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.FluxUtil;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.batch.BlobBatch;
import com.azure.storage.blob.batch.BlobBatchAsyncClient;
import com.azure.storage.blob.batch.BlobBatchClientBuilder;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.BulkDelete;
import io.arraymorph.store.IfMatchRangeReads;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.RangeRequests;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * An {@link ObjectStore} over one Azure Blob container, with keys relative to the container; a
 * location's prefix is applied by {@link io.arraymorph.store.PrefixedObjectStore}. Calls run on the
 * SDK's asynchronous client, at most {@code max_connections} at a time, each bounded in time.
 */
public final class AzureObjectStore implements ObjectStore {
  /** Blocks of one blob uploaded at once. */
  static final int BLOCKS_IN_FLIGHT = 4;

  private final AzureStoreConfig config;
  private final BlobContainerAsyncClient container;
  private final BlobBatchAsyncClient batches;
  private final AzureErrors errors;
  private final AsyncLimiter limiter;

  /** Set once the container is known to exist, so a missing blob is not a missing container. */
  private volatile boolean containerSeen;

  /**
   * Opens a store over the configured container.
   *
   * @throws IllegalArgumentException naming the options to set when credentials are missing
   */
  public static AzureObjectStore open(AzureStoreConfig config, StoreSettings settings) {
    BlobContainerAsyncClient container = AzureClients.container(config, settings);
    return new AzureObjectStore(
        config, container, new AzureErrors(config, settings, container.getBlobContainerUrl()));
  }

  private AzureObjectStore(
      AzureStoreConfig config, BlobContainerAsyncClient container, AzureErrors errors) {
    this.config = config;
    this.container = container;
    this.batches = new BlobBatchClientBuilder(container).buildAsyncClient();
    this.errors = errors;
    this.limiter = new AsyncLimiter(config.maxConnections());
  }

  private BlobAsyncClient blob(String key) {
    return container.getBlobAsyncClient(Keys.validate(key));
  }

  /** Runs a call within the concurrency bound and the call deadline. */
  private <T> CompletableFuture<T> call(Supplier<Mono<T>> mono) {
    return limiter.submit(() -> mono.get().timeout(config.callTimeout()).toFuture());
  }

  @Override
  public CompletableFuture<byte[]> get(String key) {
    BlobAsyncClient blob = blob(key);
    return call(blob::downloadContent)
        .handle(
            (data, failure) -> {
              if (failure != null) {
                throw new CompletionException(errors.translate(failure, "GET", key));
              }
              containerSeen = true;
              return data.toBytes();
            });
  }

  @Override
  public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
    return rangeGet(key, offset, length, null);
  }

  /** A ranged Get Blob, with {@code If-Match: ifMatch} unless it is null. */
  private CompletableFuture<byte[]> rangeGet(String key, long offset, int length, String ifMatch) {
    BlobAsyncClient blob = blob(key);
    RangeRequests.check(key, offset, length);
    if (length == 0) {
      return RangeRequests.empty(this, key);
    }
    BlobRequestConditions conditions =
        ifMatch == null ? null : new BlobRequestConditions().setIfMatch(ifMatch);
    return call(() ->
            blob.downloadStreamWithResponse(
                    new BlobRange(offset, (long) length), null, conditions, false)
                .flatMap(response -> FluxUtil.collectBytesInByteBufferStream(response.getValue())))
        .handle(
            (bytes, failure) -> {
              if (failure == null) {
                containerSeen = true;
                return bytes;
              }
              // 416: the blob exists but the range starts at or past its end.
              if (AzureErrors.isStatus(failure, 416)) {
                return new byte[0];
              }
              if (ifMatch != null && AzureErrors.isStatus(failure, 412)) {
                throw new CompletionException(
                    new IfMatchRangeReads.ConditionFailed("412 Condition Not Met"));
              }
              throw new CompletionException(errors.translate(failure, "ranged GET", key));
            });
  }

  /**
   * Each range is a ranged Get Blob with {@code If-Match} on the expected ETag, so the check costs
   * no request: Azure (and Azurite) answer 412 when another blob is at the key. Only a failed read
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
    BlobAsyncClient blob = blob(key);
    BlobParallelUploadOptions options =
        new BlobParallelUploadOptions(BinaryData.fromBytes(data))
            .setParallelTransferOptions(
                new ParallelTransferOptions()
                    .setMaxSingleUploadSizeLong(config.singleUploadLimit())
                    .setBlockSizeLong(config.blockSize())
                    .setMaxConcurrency(BLOCKS_IN_FLIGHT));
    return call(() -> blob.uploadWithResponse(options))
        .handle(
            (r, failure) -> {
              if (failure != null) {
                throw new CompletionException(errors.translate(failure, "PUT", key));
              }
              containerSeen = true;
              return null;
            });
  }

  /**
   * Put Blob with {@code If-None-Match: *}: the service answers 409 BlobAlreadyExists (or 412) when
   * the blob exists. One request, never a block upload: for small objects (locks).
   */
  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
    BlobAsyncClient blob = blob(key);
    BlobParallelUploadOptions options =
        new BlobParallelUploadOptions(BinaryData.fromBytes(data))
            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"))
            .setParallelTransferOptions(
                new ParallelTransferOptions()
                    .setMaxSingleUploadSizeLong(Math.max(data.length, config.singleUploadLimit())));
    return call(() -> blob.uploadWithResponse(options))
        .handle(
            (r, failure) -> {
              if (failure == null) {
                containerSeen = true;
                return true;
              }
              if (AzureErrors.isStatus(failure, 409) || AzureErrors.isStatus(failure, 412)) {
                return false;
              }
              throw new CompletionException(errors.translate(failure, "conditional PUT", key));
            });
  }

  /**
   * A server-side Copy Blob within the container (same account: authorized by this client's
   * credentials, and finished at once by the service for blobs of one account); when the service
   * refuses to authorize the source (some SAS setups), the bytes are copied through this process.
   */
  @Override
  // handle(...).thenCompose(f -> f) composes on success and failure alike: the nested future
  // is flattened at once, nothing is ignored.
  @SuppressWarnings("FutureReturnValueIgnored")
  public CompletableFuture<Void> copy(String from, String to) {
    BlobAsyncClient source = blob(from);
    BlobAsyncClient target = blob(to);
    return call(() -> target.beginCopy(source.getBlobUrl(), Duration.ofMillis(50)).last())
        .handle(
            (last, failure) -> {
              if (failure == null) {
                if (!LongRunningOperationStatus.SUCCESSFULLY_COMPLETED.equals(last.getStatus())) {
                  throw new CompletionException(
                      new StoreException(
                          "Azure copy of '"
                              + from
                              + "' to '"
                              + to
                              + "' ended "
                              + last.getStatus()));
                }
                containerSeen = true;
                return CompletableFuture.<Void>completedFuture(null);
              }
              if (AzureErrors.isStatus(failure, 401)
                  || AzureErrors.isStatus(failure, 403)
                  || AzureErrors.isStatus(failure, 400)) {
                return ObjectStore.super.copy(from, to);
              }
              if (AzureErrors.isStatus(failure, 404)) {
                return CompletableFuture.<Void>failedFuture(new ObjectNotFoundException(from));
              }
              return CompletableFuture.<Void>failedFuture(
                  errors.translate(failure, "COPY to " + to + " from", from));
            })
        .thenCompose(f -> f);
  }

  @Override
  // handle(...).thenCompose(f -> f) composes on success and failure alike: the nested future
  // is flattened at once, nothing is ignored.
  @SuppressWarnings("FutureReturnValueIgnored")
  public CompletableFuture<Optional<ObjectInfo>> head(String key) {
    BlobAsyncClient blob = blob(key);
    return call(blob::getProperties)
        .handle(
            (properties, failure) -> {
              if (failure == null) {
                containerSeen = true;
                return CompletableFuture.completedFuture(
                    Optional.of(
                        new ObjectInfo(key, properties.getBlobSize(), properties.getETag())));
              }
              if (AzureErrors.isMissingBlob(failure)) {
                return CompletableFuture.completedFuture(Optional.<ObjectInfo>empty());
              }
              if (AzureErrors.isStatus(failure, 404)) {
                // A HEAD has no body; the error code header may be missing: ask once.
                return ensureContainerExists().thenApply(x -> Optional.<ObjectInfo>empty());
              }
              return CompletableFuture.<Optional<ObjectInfo>>failedFuture(
                  errors.translate(failure, "HEAD", key));
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<Void> ensureContainerExists() {
    if (containerSeen) {
      return CompletableFuture.completedFuture(null);
    }
    return call(container::exists)
        .handle(
            (exists, failure) -> {
              if (failure == null && !exists) {
                throw new CompletionException(errors.containerNotFound(null));
              }
              containerSeen = failure == null;
              return null;
            });
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefix) {
    ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(config.listPageSize());
    if (!prefix.isEmpty()) {
      options.setPrefix(prefix);
    }
    return call(() ->
            container
                .listBlobs(options)
                .map(
                    item -> new ObjectInfo(item.getName(), item.getProperties().getContentLength()))
                .collectList())
        .handle(
            (found, failure) -> {
              if (failure != null) {
                throw new CompletionException(errors.translate(failure, "LIST", null));
              }
              containerSeen = true;
              return found.stream().sorted(Comparator.comparing(ObjectInfo::key)).toList();
            });
  }

  /** One hierarchical listing: Azure rolls the blobs below each child prefix up into one item. */
  @Override
  public CompletableFuture<Optional<List<String>>> listChildren(String prefix) {
    ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(config.listPageSize());
    if (!prefix.isEmpty()) {
      options.setPrefix(prefix);
    }
    return call(() ->
            container
                .listBlobsByHierarchy("/", options)
                .map(item -> item.getName().substring(prefix.length()).replaceAll("/$", ""))
                .collectList())
        .handle(
            (found, failure) -> {
              if (failure != null) {
                throw new CompletionException(errors.translate(failure, "LIST", null));
              }
              containerSeen = true;
              return Optional.of(
                  found.stream().filter(n -> !n.isEmpty()).distinct().sorted().toList());
            });
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    BlobAsyncClient blob = blob(key);
    return call(blob::deleteIfExists)
        .handle(
            (deleted, failure) -> {
              if (failure != null && !AzureErrors.isMissingBlob(failure)) {
                throw new CompletionException(errors.translate(failure, "DELETE", key));
              }
              return null;
            });
  }

  /** Sub-requests of one blob batch: the service's limit. */
  static final int DELETE_BATCH = 256;

  /**
   * Blob batches of up to 256 deletes; each sub-request's answer is checked on its own. A batch
   * whose response failed (cut while read, which the SDK's retry policy does not cover; 5xx; a
   * timeout) and sub-requests answered 408, 429 or 5xx are sent again within {@code max_retries},
   * then each key left goes as one DELETE.
   */
  @Override
  public CompletableFuture<Void> deleteAll(Collection<String> keys, int maxInFlight) {
    keys.forEach(Keys::validate);
    BulkDelete.Retries retries =
        new BulkDelete.Retries(
            config.maxRetries(),
            config.retryDelay(),
            AzureClients.MAX_RETRY_DELAY,
            AzureErrors::isRetryable,
            this::delete);
    return BulkDelete.inBatches(
        describe(), keys, DELETE_BATCH, maxInFlight, this::deleteBatch, retries);
  }

  private CompletableFuture<Map<String, BulkDelete.Refusal>> deleteBatch(List<String> keys) {
    BlobBatch batch = batches.getBlobBatch();
    Map<String, Response<Void>> answers = new LinkedHashMap<>();
    for (String k : keys) {
      answers.put(k, batch.deleteBlob(blob(k).getBlobUrl()));
    }
    return call(() -> batches.submitBatchWithResponse(batch, false))
        .handle(
            (r, failure) -> {
              if (failure != null) {
                throw new CompletionException(
                    errors.translate(
                        failure,
                        "DELETE batch (" + keys.size() + " blobs, the first)",
                        keys.get(0)));
              }
              containerSeen = true;
              Map<String, BulkDelete.Refusal> failed = new LinkedHashMap<>();
              answers.forEach(
                  (key, answer) -> {
                    try {
                      answer.getStatusCode();
                    } catch (BlobStorageException e) {
                      // A missing blob counts as deleted, as for one DELETE.
                      if (e.getStatusCode() != 404) {
                        failed.put(
                            key,
                            new BulkDelete.Refusal(
                                "HTTP " + e.getStatusCode() + " " + e.getErrorCode(),
                                AzureErrors.isRetryableStatus(e.getStatusCode())));
                      }
                    }
                  });
              return failed;
            });
  }

  @Override
  public String describe() {
    return "Azure Blob container '" + config.container() + "' at " + errors.containerUrl();
  }

  @Override
  public String toString() {
    return "AzureObjectStore[" + describe() + "]";
  }

  @Override
  public void close() {
    // The SDK's clients hold no resources of their own beyond the shared HTTP client.
  }
}
