package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

class ByteArrayTransformerTest {
  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  /** Streams {@code body} in pieces of {@code piece} bytes through the transformer. */
  private static CompletableFuture<byte[]> run(
      ByteArrayTransformer t, Long contentLength, byte[] body, int piece) {
    CompletableFuture<byte[]> f = t.prepare().thenApply(r -> r.asByteArrayUnsafe());
    t.onResponse(GetObjectResponse.builder().contentLength(contentLength).build());
    ByteBuffer[] parts = new ByteBuffer[(body.length + piece - 1) / piece];
    for (int i = 0; i < parts.length; i++) {
      int from = i * piece;
      parts[i] =
          piece >= body.length
              ? ByteBuffer.wrap(body)
              : ByteBuffer.wrap(body, from, Math.min(piece, body.length - from)).slice();
    }
    SdkPublisher<ByteBuffer> publisher =
        subscriber ->
            subscriber.onSubscribe(
                new Subscription() {
                  int next;

                  @Override
                  public void request(long n) {
                    for (long k = 0; k < n && next < parts.length; k++) {
                      subscriber.onNext(parts[next++]);
                    }
                    if (next == parts.length) {
                      next++;
                      subscriber.onComplete();
                    }
                  }

                  @Override
                  public void cancel() {}
                });
    t.onStream(publisher);
    return f;
  }

  @Test
  void collectsABodyOfAnnouncedLengthIntoOneBufferWithoutFurtherCopies() throws Exception {
    byte[] body = bytes(1 << 20, 3);
    ByteArrayTransformer t = new ByteArrayTransformer();
    byte[] got = run(t, (long) body.length, body, 64 * 1024 + 7).get();
    assertArrayEquals(body, got);
    assertSame(got, t.result(), "the preallocated buffer is returned as is");
  }

  @Test
  void aBodyDeliveredAsOneWholeArrayOfItsLengthIsAdoptedWithoutACopy() throws Exception {
    byte[] body = bytes(1 << 20, 4);
    byte[] got = run(new ByteArrayTransformer(true), (long) body.length, body, body.length).get();
    assertSame(body, got, "the delivered array itself");
  }

  @Test
  void anythingElseIsCopied() throws Exception {
    byte[] body = bytes(100_000, 6);
    // Not allowed to adopt (a client that may reuse its buffers).
    byte[] got = run(new ByteArrayTransformer(false), (long) body.length, body, body.length).get();
    assertNotSame(body, got);
    assertArrayEquals(body, got);
    // Several pieces, slices of a larger array, or a length other than the announced one.
    got = run(new ByteArrayTransformer(true), (long) body.length, body, 30_000).get();
    assertNotSame(body, got);
    assertArrayEquals(body, got);
    byte[] longer = bytes(100_001, 6);
    got = run(new ByteArrayTransformer(true), 100_000L, longer, longer.length).get();
    assertNotSame(longer, got);
    assertArrayEquals(longer, got);
    got = run(new ByteArrayTransformer(true), null, body, body.length).get();
    assertNotSame(body, got);
    assertArrayEquals(body, got);
    assertArrayEquals(new byte[0], run(new ByteArrayTransformer(true), 0L, new byte[0], 1).get());
  }

  @Test
  void growsWhenTheLengthIsUnknownOrWrong() throws Exception {
    byte[] body = bytes(300_000, 5);
    assertArrayEquals(body, run(new ByteArrayTransformer(), null, body, 10_000).get());
    assertArrayEquals(body, run(new ByteArrayTransformer(), 1000L, body, 4096).get());
    assertArrayEquals(
        new byte[] {1, 2}, run(new ByteArrayTransformer(), 10L, new byte[] {1, 2}, 1).get());
  }

  @Test
  void aRetriedAttemptStartsAfresh() throws Exception {
    ByteArrayTransformer t = new ByteArrayTransformer();
    CompletableFuture<?> first = t.prepare();
    t.onResponse(GetObjectResponse.builder().contentLength(10L).build());
    t.append(ByteBuffer.wrap(new byte[] {9, 9, 9}));
    t.exceptionOccurred(new IllegalStateException("connection reset"));
    assertThrows(ExecutionException.class, first::get);
    byte[] body = bytes(10, 1);
    assertArrayEquals(body, run(t, 10L, body, 3).get());
  }
}
