package io.arraymorph.store.s3;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;

/**
 * The SDK's asynchronous HTTP client interface over the JDK's {@code java.net.http.HttpClient},
 * used only when {@code tls_ca_file} is set. Why: the CRT S3 client takes its trust anchors from
 * the operating system only (its builder offers trust-all, never a CA), the SDK's Netty client
 * clashes with Spark's Netty 4.2 and its CRT HTTP client is not published for this SDK version. The
 * JDK client takes an {@link SSLContext}, verifies host names ({@code HTTPS} endpoint
 * identification) and needs no extra library.
 */
final class JdkAsyncHttpClient implements SdkAsyncHttpClient {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> SET_BY_JDK =
      Set.of("host", "content-length", "expect", "connection", "upgrade", "transfer-encoding");

  private static final AtomicInteger CLIENTS = new AtomicInteger();

  /** How long an idle worker thread is kept. */
  static final long IDLE_THREAD_SECONDS = 3;

  private final ExecutorService executor;
  private final HttpClient http;
  private final Duration responseTimeout;

  JdkAsyncHttpClient(SSLContext tls, Duration connectTimeout, Duration responseTimeout) {
    int id = CLIENTS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    // Like a cached pool, but idle threads end after a few seconds: the client is shared and kept
    // while idle (SharedJdkHttpClients), and should then hold no worker threads.
    this.executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            IDLE_THREAD_SECONDS,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t =
                  new Thread(r, "arraymorph-s3-https-" + id + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    SSLParameters parameters = tls.getDefaultSSLParameters();
    // The JDK client sets this too; stated here because it is the point of the class.
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    this.http =
        HttpClient.newBuilder()
            .sslContext(tls)
            .sslParameters(parameters)
            .connectTimeout(connectTimeout)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
    this.responseTimeout = responseTimeout;
  }

  @Override
  // The callbacks' own futures are not kept: every outcome, a callback's failure included, ends
  // done, which the SDK waits for.
  @SuppressWarnings("FutureReturnValueIgnored")
  public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    SdkAsyncHttpResponseHandler handler = request.responseHandler();
    HttpRequest jdkRequest;
    try {
      jdkRequest = toJdk(request);
    } catch (RuntimeException e) {
      handler.onError(e);
      done.completeExceptionally(e);
      return done;
    }
    CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> sent =
        http.sendAsync(
            jdkRequest,
            info -> {
              handler.onHeaders(toSdk(info));
              return BodySubscribers.ofPublisher();
            });
    // When the SDK gives up on the request (cancels it), abort the exchange too.
    done.whenComplete(
        (ignored, failure) -> {
          if (done.isCancelled()) {
            sent.cancel(true);
          }
        });
    sent.whenComplete(
        (response, failure) -> {
          if (failure != null) {
            Throwable cause = unwrap(failure);
            try {
              handler.onError(cause);
            } finally {
              done.completeExceptionally(cause);
            }
            return;
          }
          try {
            handler.onStream(new ResponseBody(response.body(), done));
          } catch (RuntimeException e) {
            // Else lost with this callback's future, and the SDK would wait for done forever;
            // the unread body is cancelled so its connection is freed.
            discard(response.body());
            try {
              handler.onError(e);
            } finally {
              done.completeExceptionally(e);
            }
          }
        });
    return done;
  }

  /** Cancels a body nobody will read (a second subscriber is refused, harmlessly). */
  private static void discard(Flow.Publisher<List<ByteBuffer>> body) {
    body.subscribe(
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
          }

          @Override
          public void onNext(List<ByteBuffer> item) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onComplete() {}
        });
  }

  private HttpRequest toJdk(AsyncExecuteRequest request) {
    SdkHttpRequest sdk = request.request();
    HttpRequest.Builder b = HttpRequest.newBuilder(sdk.getUri()).timeout(responseTimeout);
    sdk.forEachHeader(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (lower.equals("expect")) {
            b.expectContinue(values.stream().anyMatch(v -> v.equalsIgnoreCase("100-continue")));
          } else if (!SET_BY_JDK.contains(lower)) {
            values.forEach(v -> b.header(name, v));
          }
        });
    return b.method(sdk.method().name(), body(sdk, request.requestContentPublisher())).build();
  }

  /** The body, with the length the SDK signed (the JDK sends it as Content-Length). */
  private static BodyPublisher body(SdkHttpRequest sdk, SdkHttpContentPublisher content) {
    if (content == null) {
      return BodyPublishers.noBody();
    }
    long length =
        content
            .contentLength()
            .or(() -> sdk.firstMatchingHeader("Content-Length").map(Long::parseLong))
            .orElse(-1L);
    if (length == 0) {
      return BodyPublishers.noBody();
    }
    Flow.Publisher<ByteBuffer> flow = FlowAdapters.toFlowPublisher(content);
    return length > 0
        ? BodyPublishers.fromPublisher(flow, length)
        : BodyPublishers.fromPublisher(flow);
  }

  private static SdkHttpResponse toSdk(HttpResponse.ResponseInfo info) {
    SdkHttpResponse.Builder b = SdkHttpResponse.builder().statusCode(info.statusCode());
    info.headers().map().forEach(b::putHeader);
    return b.build();
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public String clientName() {
    return "JdkHttpClient";
  }

  @Override
  public void close() {
    // Java 21's HttpClient is AutoCloseable and ends its selector thread; on 17 the thread ends
    // when the client is collected.
    Object client = http;
    if (client instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // Closing is best effort; the executor below is shut down either way.
      }
    }
    executor.shutdownNow();
  }

  /**
   * The response body as the SDK wants it, one buffer per JDK delivery, with the SDK's demand
   * passed straight through; ends {@code done} when the body ends.
   */
  private static final class ResponseBody implements Publisher<ByteBuffer> {
    private final Flow.Publisher<List<ByteBuffer>> source;
    private final CompletableFuture<Void> done;

    ResponseBody(Flow.Publisher<List<ByteBuffer>> source, CompletableFuture<Void> done) {
      this.source = source;
      this.done = done;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
      source.subscribe(
          new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
              subscriber.onSubscribe(
                  new Subscription() {
                    @Override
                    public void request(long n) {
                      subscription.request(n);
                    }

                    @Override
                    public void cancel() {
                      subscription.cancel();
                      done.complete(null);
                    }
                  });
            }

            @Override
            public void onNext(List<ByteBuffer> buffers) {
              subscriber.onNext(joined(buffers));
            }

            @Override
            public void onError(Throwable t) {
              subscriber.onError(t);
              done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
              subscriber.onComplete();
              done.complete(null);
            }
          });
    }

    private static ByteBuffer joined(List<ByteBuffer> buffers) {
      if (buffers.size() == 1) {
        return buffers.get(0);
      }
      int size = 0;
      for (ByteBuffer b : buffers) {
        size += b.remaining();
      }
      ByteBuffer out = ByteBuffer.allocate(size);
      buffers.forEach(out::put);
      return out.flip();
    }
  }
}
