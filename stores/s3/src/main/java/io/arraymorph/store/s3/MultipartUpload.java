package io.arraymorph.store.s3;

import io.arraymorph.engine.AsyncLimiter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads one object in parts: large chunks go up in parallel and a failed part is retried alone
 * instead of the whole object. A failed upload is aborted, so no orphaned parts keep costing
 * storage.
 */
final class MultipartUpload {
  /** Parts of one object uploaded at once. */
  static final int PARTS_IN_FLIGHT = 4;

  private MultipartUpload() {}

  /** Uploads {@code data} to {@code bucket}/{@code key} in parts of {@code partSize} bytes. */
  // handle(...).thenCompose(f -> f) composes on success and failure alike: the nested future
  // is flattened at once, nothing is ignored.
  @SuppressWarnings("FutureReturnValueIgnored")
  static CompletableFuture<Void> run(
      S3AsyncClient client, String bucket, String key, byte[] data, long partSize) {
    return client
        .createMultipartUpload(b -> b.bucket(bucket).key(key))
        .thenCompose(
            created -> {
              String uploadId = created.uploadId();
              return uploadParts(client, bucket, key, uploadId, data, partSize)
                  .thenCompose(
                      parts ->
                          client.completeMultipartUpload(
                              b ->
                                  b.bucket(bucket)
                                      .key(key)
                                      .uploadId(uploadId)
                                      .multipartUpload(m -> m.parts(parts))))
                  .handle(
                      (done, failure) ->
                          failure == null
                              ? CompletableFuture.<Void>completedFuture(null)
                              : abort(client, bucket, key, uploadId)
                                  .thenCompose(x -> CompletableFuture.<Void>failedFuture(failure)))
                  .thenCompose(f -> f);
            });
  }

  private static CompletableFuture<List<CompletedPart>> uploadParts(
      S3AsyncClient client,
      String bucket,
      String key,
      String uploadId,
      byte[] data,
      long partSize) {
    AsyncLimiter limiter = new AsyncLimiter(PARTS_IN_FLIGHT);
    List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
    int partNumber = 1;
    for (long offset = 0; offset < data.length; offset += partSize, partNumber++) {
      int number = partNumber;
      int from = (int) offset;
      int length = (int) Math.min(partSize, data.length - offset);
      parts.add(
          limiter.submit(
              () ->
                  client
                      .uploadPart(
                          b ->
                              b.bucket(bucket)
                                  .key(key)
                                  .uploadId(uploadId)
                                  .partNumber(number)
                                  .contentLength((long) length),
                          AsyncRequestBody.fromBytes(Arrays.copyOfRange(data, from, from + length)))
                      .thenApply(
                          r -> CompletedPart.builder().partNumber(number).eTag(r.eTag()).build())));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            x ->
                parts.stream()
                    .map(CompletableFuture::join)
                    .sorted(Comparator.comparing(CompletedPart::partNumber))
                    .toList());
  }

  /** Aborts the upload; a failure to abort is dropped so the upload's own failure is reported. */
  private static CompletableFuture<Void> abort(
      S3AsyncClient client, String bucket, String key, String uploadId) {
    return client
        .abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId))
        .handle((r, e) -> null);
  }
}
