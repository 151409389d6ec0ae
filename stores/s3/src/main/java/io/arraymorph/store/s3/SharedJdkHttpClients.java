package io.arraymorph.store.s3;

import io.arraymorph.store.SharedResources;
import io.arraymorph.store.TlsTrust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One {@link JdkAsyncHttpClient} per trust and timeout configuration, shared by every S3 store of
 * the JVM that uses {@code tls_ca_file}. Why: on Java 17 a JDK {@code HttpClient} has no close, so
 * its selector thread and pooled connections end only when the client is garbage-collected; a
 * client per store would let a Spark executor, which opens and closes stores per task, pile them
 * up. Idle clients (no store uses them) are kept for the next store, at most {@link #MAX_IDLE} of
 * them; the least recently used beyond that are closed (their executor threads end at once).
 *
 * <p>Each client comes with a scheduler for the SDK's timeouts and retry delays, shared the same
 * way: the SDK's own per-client scheduler is shut down gently at close and lives on until a pending
 * timeout fires (up to {@code request_timeout_ms}); this one drops cancelled timeouts and lets its
 * threads end when idle.
 *
 * <p>The key includes a digest of the CA file's contents, so a replaced CA file gets a new client.
 */
final class SharedJdkHttpClients {
  /** Idle clients kept open. */
  static final int MAX_IDLE = 4;

  /** Threads of a client's scheduler: its tasks only time calls out and start retries. */
  private static final int SCHEDULER_THREADS = 2;

  private static final SharedResources<Key, Entry> CLIENTS =
      new SharedResources<>(MAX_IDLE, Entry::close);

  private SharedJdkHttpClients() {}

  private record Key(String caSha256, Duration connectTimeout, Duration responseTimeout) {}

  private static final AtomicInteger SCHEDULERS = new AtomicInteger();

  private static final class Entry {
    final JdkAsyncHttpClient client;
    final ScheduledThreadPoolExecutor scheduler;

    Entry(JdkAsyncHttpClient client) {
      this.client = client;
      this.scheduler = scheduler();
    }

    void close() {
      client.close();
      scheduler.shutdownNow();
    }
  }

  private static ScheduledThreadPoolExecutor scheduler() {
    int id = SCHEDULERS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            SCHEDULER_THREADS,
            r -> {
              Thread t =
                  new Thread(
                      r, "arraymorph-s3-https-timer-" + id + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // Timeouts are cancelled when calls end; drop them at once rather than at their deadline.
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setKeepAliveTime(JdkAsyncHttpClient.IDLE_THREAD_SECONDS, TimeUnit.SECONDS);
    scheduler.allowCoreThreadTimeOut(true);
    return scheduler;
  }

  /**
   * A lease on the shared client and scheduler for this configuration; its {@code close()} releases
   * it (the SDK never closes an HTTP client or scheduler it was given, so the store closes the
   * lease).
   *
   * @throws IllegalArgumentException naming {@code tls_ca_file} when the file is unreadable or
   *     holds no certificate
   */
  static Lease acquire(Path caFile, Duration connectTimeout, Duration responseTimeout) {
    Key key = new Key(sha256(caFile), connectTimeout, responseTimeout);
    return new Lease(
        CLIENTS.acquire(
            key,
            () ->
                new Entry(
                    new JdkAsyncHttpClient(
                        TlsTrust.sslContext(caFile), connectTimeout, responseTimeout))));
  }

  /** The number of clients kept, for tests. */
  static int size() {
    return CLIENTS.size();
  }

  /** The number of open leases over all clients, for tests. */
  static int users() {
    return CLIENTS.users();
  }

  private static String sha256(Path caFile) {
    byte[] contents;
    try {
      contents = Files.readAllBytes(caFile);
    } catch (IOException e) {
      // TlsTrust words the error (naming the option and the path); reached only if it does not.
      TlsTrust.sslContext(caFile);
      throw new IllegalArgumentException(
          "Cannot read the file of option '" + TlsTrust.OPTION + "': " + caFile, e);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(contents));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JVM has no SHA-256", e);
    }
  }

  /** One store's use of a shared client and scheduler; closing it releases the use once. */
  static final class Lease implements SdkAutoCloseable {
    private final SharedResources.Lease<Entry> lease;
    private final SdkAsyncHttpClient http;

    Lease(SharedResources.Lease<Entry> lease) {
      this.lease = lease;
      this.http = new Unclosable(lease.value().client);
    }

    /** The HTTP client to give the SDK. */
    SdkAsyncHttpClient http() {
      return http;
    }

    /** The scheduler to give the SDK. */
    ScheduledExecutorService scheduler() {
      return lease.value().scheduler;
    }

    @Override
    public void close() {
      lease.close();
    }
  }

  /** The shared client as given to one SDK client, which must not close it for the others. */
  private record Unclosable(JdkAsyncHttpClient client) implements SdkAsyncHttpClient {
    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
      return client.execute(request);
    }

    @Override
    public String clientName() {
      return client.clientName();
    }

    @Override
    public void close() {
      // Evicting the idle shared client closes it (SharedResources).
    }
  }
}
