package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests answered with 503 SlowDown or 500 are retried as max_retries says. A tiny fake S3 on
 * loopback fails the first requests, then serves the object.
 */
class S3RetryTest {
  private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);
  private HttpServer fake;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;

  @BeforeEach
  void startFake() throws IOException {
    fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    fake.createContext("/", this::answer);
    fake.start();
  }

  @AfterEach
  void stopFake() {
    fake.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      byte[] error =
          ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                  + (failureStatus == 503 ? "SlowDown" : "InternalError")
                  + "</Code><Message>try again</Message></Error>")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/xml");
      exchange.sendResponseHeaders(failureStatus, error.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(error);
      }
      return;
    }
    exchange.getResponseHeaders().add("Content-Range", "bytes 0-4/5");
    exchange.getResponseHeaders().add("ETag", "\"5d41402abc4b2a76b9719d911017c592\"");
    exchange.sendResponseHeaders(206, BODY.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(BODY);
    }
  }

  private ObjectStore store(int maxRetries) {
    return ObjectStores.open(
        "s3://bucket/p",
        StoreSettings.of(
            Map.of(
                "endpoint", "http://127.0.0.1:" + fake.getAddress().getPort(),
                "access_key", "ak",
                "secret_key", "sk-secret",
                "region", "us-east-1",
                "max_retries", String.valueOf(maxRetries))));
  }

  @Test
  void slowDownAndServerErrorsAreRetriedUntilSuccess() {
    failuresLeft.set(2);
    try (ObjectStore store = store(3)) {
      assertArrayEquals(BODY, Futures.join(store.getRange("k", 0, 5)));
    }
    assertEquals(3, requests.get());
    failureStatus = 500;
    failuresLeft.set(1);
    requests.set(0);
    try (ObjectStore store = store(3)) {
      assertArrayEquals(BODY, Futures.join(store.getRange("k", 0, 5)));
    }
    assertEquals(2, requests.get());
  }

  @Test
  void maxRetriesBoundsTheAttempts() {
    failuresLeft.set(100);
    try (ObjectStore store = store(1)) {
      CompletionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CompletionException.class, () -> store.getRange("k", 0, 5).join());
      StoreException s = assertInstanceOf(StoreException.class, Futures.unwrap(e));
      assertTrue(s.getMessage().contains("max_retries=1"), s.getMessage());
    }
    assertEquals(2, requests.get());
  }
}
