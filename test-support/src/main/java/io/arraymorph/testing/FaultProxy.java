package io.arraymorph.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small HTTP/1.1-aware TCP proxy on 127.0.0.1 that injects faults between a client and a test
 * server (S3Proxy, Azurite) on loopback. Each request is relayed unchanged (so signatures stay
 * valid) unless a fault is chosen for it:
 *
 * <ul>
 *   <li>{@link Fault#SLOW_DOWN_503}: answers 503 with the store's throttling error body (S3 {@code
 *       SlowDown}, Azure {@code ServerBusy}) without forwarding;
 *   <li>{@link Fault#ERROR_500}: answers 500 {@code InternalError} without forwarding;
 *   <li>{@link Fault#RESET}: forwards, sends the response head and half the body, then resets the
 *       connection (TCP RST);
 *   <li>{@link Fault#TRUNCATE}: forwards, sends the head (with the full Content-Length) and half
 *       the body, then closes the connection normally;
 *   <li>{@link Fault#CORRUPT}: forwards and flips one byte in the middle of a successful body,
 *       keeping its length;
 *   <li>{@link Fault#DELAY}: waits {@link #delay(Duration)} before forwarding.
 * </ul>
 *
 * Faults are chosen per request that passes {@link #only(Predicate)}: first from a queue of forced
 * faults ({@link #next(Fault, int)}), else at random with the configured rates ({@link #rate(Fault,
 * double)}) from a seeded generator, while a total budget ({@link #budget(int)}) lasts. Counters
 * say how many requests passed and which faults were injected.
 */
public final class FaultProxy implements AutoCloseable {
  /** A fault injected into one request. */
  public enum Fault {
    SLOW_DOWN_503,
    ERROR_500,
    RESET,
    TRUNCATE,
    CORRUPT,
    DELAY
  }

  /** Which error bodies to send. */
  public enum Flavor {
    S3,
    AZURE
  }

  /**
   * What a fault is chosen by: the request's method and path (with query); and its {@code If-Match}
   * header (null when it has none), which request-budget tests check reads carry.
   */
  public record Request(String method, String path, String ifMatch) {
    /** A request without {@code If-Match}. */
    public Request(String method, String path) {
      this(method, path, null);
    }

    /** The path with %-escapes decoded (Azure escapes the slashes of blob names). */
    public String decodedPath() {
      return java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
  }

  private final InetSocketAddress target;
  private final Flavor flavor;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Thread> workers = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
  private final Map<Fault, Double> rates = new EnumMap<>(Fault.class);
  private final Deque<Fault> forced = new ArrayDeque<>();
  private final Random random;
  private volatile Predicate<Request> filter = r -> true;
  private final List<Request> recorded = new ArrayList<>();
  private volatile Duration delay = Duration.ofMillis(200);
  private int budget = Integer.MAX_VALUE;
  private volatile boolean closed;

  private FaultProxy(URI target, Flavor flavor, long seed) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.flavor = flavor;
    this.random = new Random(seed);
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicInteger());
    }
    server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy on 127.0.0.1 in front of {@code targetEndpoint} ({@code http://127.0.0.1:port},
   * any path ignored).
   */
  public static FaultProxy start(String targetEndpoint, Flavor flavor, long seed) {
    URI uri = URI.create(targetEndpoint);
    if (!InetAddress.getLoopbackAddress().getHostAddress().equals(uri.getHost())
        && !"localhost".equals(uri.getHost())) {
      throw new IllegalArgumentException("FaultProxy only fronts loopback servers: " + uri);
    }
    try {
      return new FaultProxy(uri, flavor, seed);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the fault proxy", e);
    }
  }

  /** The proxy's port on 127.0.0.1. */
  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** Injects {@code fault} into this fraction of the eligible requests (0 turns it off). */
  public synchronized FaultProxy rate(Fault fault, double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate " + rate);
    }
    rates.put(fault, rate);
    return this;
  }

  /** Injects {@code fault} into the next {@code count} eligible requests. */
  public synchronized FaultProxy next(Fault fault, int count) {
    for (int i = 0; i < count; i++) {
      forced.add(fault);
    }
    return this;
  }

  /** Injects at most this many faults in all (rates included) from now on. */
  public synchronized FaultProxy budget(int maxFaults) {
    budget = maxFaults;
    return this;
  }

  /** Only requests matching this are eligible for faults. */
  public FaultProxy only(Predicate<Request> eligible) {
    filter = eligible;
    return this;
  }

  /**
   * Records every request and injects no fault from now on: the proxy becomes a request counter for
   * request-budget tests (read with {@link #drainRecorded()}).
   */
  public FaultProxy recordOnly() {
    filter =
        r -> {
          synchronized (recorded) {
            recorded.add(r);
          }
          return false;
        };
    return this;
  }

  /** The requests recorded since the last call, oldest first, and forgets them. */
  public List<Request> drainRecorded() {
    synchronized (recorded) {
      List<Request> out = List.copyOf(recorded);
      recorded.clear();
      return out;
    }
  }

  /** How long {@link Fault#DELAY} waits. */
  public FaultProxy delay(Duration d) {
    delay = d;
    return this;
  }

  /** Turns every fault off (counters are kept). */
  public synchronized FaultProxy clear() {
    rates.clear();
    forced.clear();
    budget = Integer.MAX_VALUE;
    filter = r -> true;
    return this;
  }

  /** Requests seen (faulty or not). */
  public int requests() {
    return requests.get();
  }

  /** How many times a fault was injected. */
  public int injected(Fault fault) {
    return injected.get(fault).get();
  }

  /** Every fault injected so far, by kind. */
  public Map<Fault, Integer> injected() {
    Map<Fault, Integer> m = new LinkedHashMap<>();
    injected.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  private synchronized Fault choose(Request request) {
    if (!filter.test(request) || budget <= 0) {
      return null;
    }
    Fault f = forced.poll();
    if (f == null) {
      double x = random.nextDouble();
      for (Map.Entry<Fault, Double> e : rates.entrySet()) {
        if (x < e.getValue()) {
          f = e.getKey();
          break;
        }
        x -= e.getValue();
      }
    }
    if (f != null) {
      budget--;
      injected.get(f).incrementAndGet();
    }
    return f;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        open.add(client);
        Thread t = new Thread(() -> serve(client), "fault-proxy-conn-" + client.getPort());
        t.setDaemon(true);
        workers.add(t);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("fault proxy accept failed: " + e);
        }
      }
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try {
      client.setSoTimeout(120_000);
      InputStream cin = new BufferedInputStream(client.getInputStream());
      OutputStream cout = new BufferedOutputStream(client.getOutputStream());
      InputStream uin = null;
      OutputStream uout = null;
      while (!closed) {
        Head request = Head.read(cin);
        if (request == null) {
          return;
        }
        requests.incrementAndGet();
        if ("100-continue".equalsIgnoreCase(request.header("expect"))) {
          cout.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          cout.flush();
          request.remove("expect");
        }
        byte[] requestBody = readBody(cin, request, false);
        Fault fault =
            choose(new Request(request.method(), request.target(), request.header("if-match")));
        if (fault == Fault.SLOW_DOWN_503 || fault == Fault.ERROR_500) {
          writeError(cout, fault == Fault.SLOW_DOWN_503 ? 503 : 500);
          continue;
        }
        if (fault == Fault.DELAY) {
          Thread.sleep(delay.toMillis());
        }
        if (upstream == null) {
          upstream = new Socket();
          open.add(upstream);
          upstream.connect(target, 5_000);
          upstream.setSoTimeout(120_000);
          uin = new BufferedInputStream(upstream.getInputStream());
          uout = new BufferedOutputStream(upstream.getOutputStream());
        }
        uout.write(request.bytes());
        uout.write(requestBody);
        uout.flush();
        Head response = Head.read(uin);
        if (response == null) {
          throw new EOFException("upstream closed the connection");
        }
        boolean noBody =
            "HEAD".equals(request.method())
                || response.status() / 100 == 1
                || response.status() == 204
                || response.status() == 304;
        byte[] body = noBody ? new byte[0] : readBody(uin, response, true);
        if (!noBody && response.header("transfer-encoding") != null) {
          // Relay a chunked body with its length, so that faults can cut or flip its bytes.
          body = dechunk(body);
          response.remove("transfer-encoding");
          response.headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        }
        if (fault == Fault.RESET || fault == Fault.TRUNCATE) {
          cout.write(response.bytes());
          cout.write(body, 0, body.length / 2);
          cout.flush();
          if (fault == Fault.RESET) {
            client.setSoLinger(true, 0);
          }
          return;
        }
        if (fault == Fault.CORRUPT && response.status() / 100 == 2 && body.length > 0) {
          body[body.length / 2] ^= 0x5A;
        }
        cout.write(response.bytes());
        cout.write(body);
        cout.flush();
        if ("close".equalsIgnoreCase(response.header("connection"))
            || "close".equalsIgnoreCase(request.header("connection"))) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // A client or server closing its connection ends this relay.
    } finally {
      close(client);
      if (upstream != null) {
        close(upstream);
      }
      workers.remove(Thread.currentThread());
    }
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  private void writeError(OutputStream out, int status) throws IOException {
    String code;
    String body;
    if (flavor == Flavor.S3) {
      code = status == 503 ? "SlowDown" : "InternalError";
      body =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
              + code
              + "</Code><Message>"
              + (status == 503 ? "Please reduce your request rate." : "We encountered an error.")
              + "</Message><RequestId>fault-proxy</RequestId></Error>";
    } else {
      code = status == 503 ? "ServerBusy" : "InternalError";
      body =
          "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>"
              + code
              + "</Code><Message>"
              + (status == 503 ? "The server is busy." : "The server encountered an error.")
              + "</Message></Error>";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + (status == 503 ? " Service Unavailable" : " Internal Server Error")
            + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + bytes.length
            + (flavor == Flavor.AZURE ? "\r\nx-ms-error-code: " + code : "")
            + "\r\nx-amz-request-id: fault-proxy\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  /** The body of a message as raw bytes (chunked framing kept), to relay unchanged. */
  private static byte[] readBody(InputStream in, Head head, boolean response) throws IOException {
    String te = head.header("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        raw.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          String line;
          do {
            line = readLine(in);
            raw.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          } while (!line.isEmpty());
          return raw.toByteArray();
        }
        raw.write(in.readNBytes(size));
        raw.write(in.readNBytes(2));
      }
    }
    String cl = head.header("content-length");
    if (cl != null) {
      long n = Long.parseLong(cl.trim());
      byte[] b = in.readNBytes((int) n);
      if (b.length != n) {
        throw new EOFException("short body");
      }
      return b;
    }
    return response ? in.readAllBytes() : new byte[0];
  }

  /** The data of a chunked body read raw by {@link #readBody}. */
  private static byte[] dechunk(byte[] raw) throws IOException {
    InputStream in = new java.io.ByteArrayInputStream(raw);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        return out.toByteArray();
      }
      out.write(in.readNBytes(size));
      in.readNBytes(2);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        byte[] b = line.toByteArray();
        int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(c);
    }
    if (line.size() == 0) {
      return null;
    }
    throw new EOFException("unterminated line");
  }

  /** A request or response head: start line and headers, kept in order. */
  private static final class Head {
    final String start;
    final List<String[]> headers = new ArrayList<>();

    private Head(String start) {
      this.start = start;
    }

    static Head read(InputStream in) throws IOException {
      String start;
      try {
        start = readLine(in);
      } catch (SocketException e) {
        return null;
      }
      if (start == null) {
        return null;
      }
      Head h = new Head(start);
      String line;
      while ((line = readLine(in)) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        h.headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).trim()});
      }
      return h;
    }

    String method() {
      return start.substring(0, start.indexOf(' '));
    }

    String target() {
      String[] parts = start.split(" ", -1);
      return parts.length > 1 ? parts[1] : "";
    }

    int status() {
      return Integer.parseInt(start.split(" ", -1)[1]);
    }

    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }

    void remove(String name) {
      headers.removeIf(h -> h[0].equalsIgnoreCase(name));
    }

    byte[] bytes() {
      StringBuilder sb = new StringBuilder(start).append("\r\n");
      for (String[] h : headers) {
        sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
      }
      return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
    for (Socket s : List.copyOf(open)) {
      close(s);
    }
    try {
      acceptor.join(5_000);
      for (Thread t : List.copyOf(workers)) {
        t.interrupt();
        t.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FaultProxy[" + endpoint() + " -> " + target + ", injected " + injected() + "]";
  }
}
