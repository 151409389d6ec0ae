package io.arraymorph.store.s3;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Collects a GET's body into one byte array sized from the response's Content-Length, so each byte
 * is copied once. The SDK's {@code AsyncResponseTransformer.toBytes()} grows a {@code
 * ByteArrayOutputStream} from a small buffer (about 20 doublings for 1 MiB) and copies the result
 * again; with the CRT client those copies run on its event-loop threads, which then serve fewer
 * connections. Measured on a full scan of 256 x 1 MiB chunk objects, the growth copies were a third
 * of all CPU samples.
 */
final class ByteArrayTransformer
    implements AsyncResponseTransformer<GetObjectResponse, ResponseBytes<GetObjectResponse>> {
  /** Bodies of unknown or implausible length start at this size and grow. */
  static final int INITIAL_UNKNOWN = 64 * 1024;

  private volatile CompletableFuture<ResponseBytes<GetObjectResponse>> future;
  private volatile GetObjectResponse response;
  private byte[] buffer;
  private int size;

  @Override
  public CompletableFuture<ResponseBytes<GetObjectResponse>> prepare() {
    // Called again for each retried attempt: start afresh.
    future = new CompletableFuture<>();
    buffer = null;
    size = 0;
    return future;
  }

  @Override
  public void onResponse(GetObjectResponse response) {
    this.response = response;
    Long length = response.contentLength();
    buffer =
        new byte
            [length != null && length >= 0 && length <= Integer.MAX_VALUE - 8
                ? length.intValue()
                : INITIAL_UNKNOWN];
    size = 0;
  }

  @Override
  public void onStream(SdkPublisher<ByteBuffer> publisher) {
    publisher.subscribe(
        new Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(ByteBuffer b) {
            append(b);
          }

          @Override
          public void onError(Throwable t) {
            future.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            // The caller checks the length against the response's headers.
            future.complete(ResponseBytes.fromByteArrayUnsafe(response, result()));
          }
        });
  }

  @Override
  public void exceptionOccurred(Throwable error) {
    CompletableFuture<ResponseBytes<GetObjectResponse>> f = future;
    if (f != null) {
      f.completeExceptionally(error);
    }
  }

  /** Appends a piece of the body (the stream delivers pieces one at a time, in order). */
  void append(ByteBuffer b) {
    if (buffer == null) {
      buffer = new byte[Math.max(INITIAL_UNKNOWN, b.remaining())];
    }
    int n = b.remaining();
    if (buffer.length - size < n) {
      long grown = Math.max((long) size + n, 2L * buffer.length);
      buffer = Arrays.copyOf(buffer, (int) Math.min(grown, Integer.MAX_VALUE - 8));
    }
    b.get(buffer, size, n);
    size += n;
  }

  /** The bytes received: the buffer itself when the body had its announced length. */
  byte[] result() {
    if (buffer == null) {
      return new byte[0];
    }
    return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
  }
}
