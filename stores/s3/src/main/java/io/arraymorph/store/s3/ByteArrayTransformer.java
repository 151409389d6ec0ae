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
 *
 * <p>With {@code adoptWholeBodies} (the CRT client), a body delivered as one piece that is a whole
 * heap array of exactly the announced length is taken as is, with no copy at all: the CRT's JNI
 * layer hands each piece over in a new array of its own (aws-crt-java's {@code
 * S3MetaRequestResponseHandlerNativeAdapter} wraps it once) and the CRT delivers an object of up to
 * one part as one piece, so a full scan's 1 MiB chunks are neither copied nor allocated twice.
 * Other HTTP clients may lend buffers they reuse, so they always get the copy.
 */
final class ByteArrayTransformer
    implements AsyncResponseTransformer<GetObjectResponse, ResponseBytes<GetObjectResponse>> {
  /** Bodies of unknown or implausible length start at this size and grow. */
  static final int INITIAL_UNKNOWN = 64 * 1024;

  private final boolean adoptWholeBodies;
  private volatile CompletableFuture<ResponseBytes<GetObjectResponse>> future;
  private volatile GetObjectResponse response;
  private int expected = -1;
  private byte[] buffer;
  private int size;

  /** A transformer that always copies the body into its own buffer. */
  ByteArrayTransformer() {
    this(false);
  }

  /**
   * A transformer; {@code adoptWholeBodies}: whether a body delivered as one whole array of its
   * announced length may be taken without a copy (only for a client that never reuses the arrays it
   * delivers: see the class comment).
   */
  ByteArrayTransformer(boolean adoptWholeBodies) {
    this.adoptWholeBodies = adoptWholeBodies;
  }

  @Override
  public CompletableFuture<ResponseBytes<GetObjectResponse>> prepare() {
    // Called again for each retried attempt: start afresh.
    future = new CompletableFuture<>();
    expected = -1;
    buffer = null;
    size = 0;
    return future;
  }

  @Override
  public void onResponse(GetObjectResponse response) {
    this.response = response;
    Long length = response.contentLength();
    // The buffer is made by the first piece, which may be adopted instead.
    expected =
        length != null && length >= 0 && length <= Integer.MAX_VALUE - 8 ? length.intValue() : -1;
    buffer = expected == 0 ? new byte[0] : null;
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
  // array() is adopted only when isWholeArray saw arrayOffset 0 and the whole array in view.
  @SuppressWarnings("ByteBufferBackingArray")
  void append(ByteBuffer b) {
    int n = b.remaining();
    if (buffer == null) {
      if (adoptWholeBodies && n == expected && isWholeArray(b)) {
        buffer = b.array();
        size = n;
        b.position(b.limit());
        return;
      }
      buffer = new byte[expected >= 0 ? expected : Math.max(INITIAL_UNKNOWN, n)];
    }
    if (buffer.length - size < n) {
      long grown = Math.max((long) size + n, 2L * buffer.length);
      buffer = Arrays.copyOf(buffer, (int) Math.min(grown, Integer.MAX_VALUE - 8));
    }
    b.get(buffer, size, n);
    size += n;
  }

  /** Whether {@code b} is all of a writable heap array, from its first byte to its last. */
  private static boolean isWholeArray(ByteBuffer b) {
    return b.hasArray()
        && b.arrayOffset() == 0
        && b.position() == 0
        && b.limit() == b.array().length;
  }

  /** The bytes received: the buffer itself when the body had its announced length. */
  byte[] result() {
    if (buffer == null) {
      return new byte[0];
    }
    return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
  }
}
