package io.arraymorph.store.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

class JdkAsyncHttpClientTest {

  @Test
  void aHandlerFailingOnTheResponseFailsTheRequestInsteadOfLeavingItWaiting() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "hello".getBytes(UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    JdkAsyncHttpClient client =
        new JdkAsyncHttpClient(
            SSLContext.getDefault(), Duration.ofSeconds(5), Duration.ofSeconds(10));
    try {
      IllegalStateException broken = new IllegalStateException("the handler broke");
      List<Throwable> reported = new CopyOnWriteArrayList<>();
      SdkAsyncHttpResponseHandler handler =
          new SdkAsyncHttpResponseHandler() {
            @Override
            public void onHeaders(SdkHttpResponse headers) {}

            @Override
            public void onStream(Publisher<ByteBuffer> stream) {
              throw broken;
            }

            @Override
            public void onError(Throwable error) {
              reported.add(error);
            }
          };
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/object");
      AsyncExecuteRequest request =
          AsyncExecuteRequest.builder()
              .request(SdkHttpFullRequest.builder().uri(uri).method(SdkHttpMethod.GET).build())
              .responseHandler(handler)
              .build();
      ExecutionException e =
          assertThrows(
              ExecutionException.class, () -> client.execute(request).get(10, TimeUnit.SECONDS));
      assertSame(broken, e.getCause());
      assertEquals(List.of(broken), reported);
    } finally {
      client.close();
      server.stop(0);
    }
  }
}
