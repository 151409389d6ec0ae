package io.arraymorph.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of an HTTP/1.1 server (S3Proxy) that counts what crosses the
 * wire: bytes in each direction, and HTTP requests and responses with their header and body bytes
 * (parsed from the byte stream: Content-Length and chunked bodies, HEAD and 1xx/204/304 answers
 * without body). What it counts is what a client really transferred, whatever the client library
 * does internally (extra HEADs, split GETs, retries).
 */
public final class CountingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  final AtomicLong bytesUp = new AtomicLong();
  final AtomicLong bytesDown = new AtomicLong();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong responseHeaderBytes = new AtomicLong();
  final AtomicLong responseBodyBytes = new AtomicLong();
  final AtomicLong connections = new AtomicLong();

  /** What the relay counted since the last reset. */
  public record Counts(
      long requests,
      long bytesUp,
      long bytesDown,
      long responseHeaderBytes,
      long responseBodyBytes,
      long connections) {}

  public CountingRelay(String upstreamHost, int upstreamPort) throws IOException {
    this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The relay's endpoint, {@code http://127.0.0.1:port}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public Counts counts() {
    return new Counts(
        requests.get(),
        bytesUp.get(),
        bytesDown.get(),
        responseHeaderBytes.get(),
        responseBodyBytes.get(),
        connections.get());
  }

  public void reset() {
    bytesUp.set(0);
    bytesDown.set(0);
    requests.set(0);
    responseHeaderBytes.set(0);
    responseBodyBytes.set(0);
    connections.set(0);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket up = new Socket();
        up.connect(upstream, 10_000);
        client.setTcpNoDelay(true);
        up.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(up);
        connections.incrementAndGet();
        Deque<String> methods = new ArrayDeque<>();
        HttpStream requestParser = new HttpStream(true, methods);
        HttpStream responseParser = new HttpStream(false, methods);
        pump(client, up, bytesUp, requestParser);
        pump(up, client, bytesDown, responseParser);
      } catch (IOException e) {
        if (!server.isClosed()) {
          System.err.println("relay: " + e);
        }
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicLong counter, HttpStream parser) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[256 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  counter.addAndGet(n);
                  // Parse before forwarding, so a request's method is known before its answer.
                  parser.feed(buf, 0, n);
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // connection closed by one side
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // ignore
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // ignore
    }
    sockets.forEach(CountingRelay::closeQuietly);
  }

  /** An incremental HTTP/1.1 message parser over one direction of a connection. */
  final class HttpStream {
    private final boolean requests;
    private final Deque<String> methods;
    private final StringBuilder header = new StringBuilder();
    private State state = State.HEADER;
    private long remaining;
    private final StringBuilder line = new StringBuilder();

    private enum State {
      HEADER,
      BODY,
      CHUNK_SIZE,
      CHUNK_DATA,
      CHUNK_DATA_END,
      TRAILER,
      UNTIL_CLOSE
    }

    HttpStream(boolean requests, Deque<String> methods) {
      this.requests = requests;
      this.methods = methods;
    }

    void feed(byte[] b, int off, int len) {
      int i = off;
      int end = off + len;
      while (i < end) {
        switch (state) {
          case HEADER -> {
            char c = (char) (b[i++] & 0xFF);
            header.append(c);
            if (!requests) {
              responseHeaderBytes.incrementAndGet();
            }
            int h = header.length();
            if (h >= 4
                && c == '\n'
                && header.charAt(h - 2) == '\r'
                && header.charAt(h - 3) == '\n') {
              endOfHeader();
            } else if (h == 2 && header.charAt(0) == '\r' && c == '\n') {
              header.setLength(0); // a stray CRLF between messages
            }
          }
          case BODY -> {
            int n = (int) Math.min(remaining, end - i);
            countBody(n);
            i += n;
            remaining -= n;
            if (remaining == 0) {
              state = State.HEADER;
            }
          }
          case UNTIL_CLOSE -> {
            countBody(end - i);
            i = end;
          }
          case CHUNK_SIZE, TRAILER -> {
            char c = (char) (b[i++] & 0xFF);
            countBody(1);
            line.append(c);
            if (c == '\n') {
              String text = line.toString().trim();
              line.setLength(0);
              if (state == State.CHUNK_SIZE) {
                int semi = text.indexOf(';');
                long size = Long.parseLong(semi >= 0 ? text.substring(0, semi) : text, 16);
                if (size == 0) {
                  state = State.TRAILER;
                } else {
                  remaining = size;
                  state = State.CHUNK_DATA;
                }
              } else if (text.isEmpty()) {
                state = State.HEADER;
              }
            }
          }
          case CHUNK_DATA -> {
            int n = (int) Math.min(remaining, end - i);
            countBody(n);
            i += n;
            remaining -= n;
            if (remaining == 0) {
              state = State.CHUNK_DATA_END;
              remaining = 2;
            }
          }
          case CHUNK_DATA_END -> {
            int n = (int) Math.min(remaining, end - i);
            countBody(n);
            i += n;
            remaining -= n;
            if (remaining == 0) {
              state = State.CHUNK_SIZE;
            }
          }
        }
      }
    }

    private void countBody(long n) {
      if (!requests) {
        responseBodyBytes.addAndGet(n);
      }
    }

    private void endOfHeader() {
      String text = header.toString();
      header.setLength(0);
      String[] lines = text.split("\r\n", -1);
      String start = lines[0];
      long contentLength = -1;
      boolean chunked = false;
      for (int k = 1; k < lines.length; k++) {
        String l = lines[k].toLowerCase(Locale.ROOT);
        if (l.startsWith("content-length:")) {
          contentLength = Long.parseLong(l.substring(15).trim());
        } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
          chunked = true;
        }
      }
      boolean noBody;
      if (requests) {
        requests().incrementAndGet();
        String method = start.substring(0, Math.max(0, start.indexOf(' ')));
        synchronized (methods) {
          methods.addLast(method);
        }
        noBody = !chunked && contentLength <= 0;
      } else {
        int status = Integer.parseInt(start.split(" ", -1)[1]);
        if (status >= 100 && status < 200) {
          state = State.HEADER; // interim answer; the final one follows
          return;
        }
        String method;
        synchronized (methods) {
          method = methods.pollFirst();
        }
        noBody =
            "HEAD".equals(method)
                || status == 204
                || status == 304
                || (!chunked && contentLength == 0);
        if (!noBody && !chunked && contentLength < 0) {
          state = State.UNTIL_CLOSE;
          return;
        }
      }
      if (noBody) {
        state = State.HEADER;
      } else if (chunked) {
        state = State.CHUNK_SIZE;
      } else {
        remaining = contentLength;
        state = State.BODY;
      }
    }

    private AtomicLong requests() {
      return CountingRelay.this.requests;
    }
  }
}
