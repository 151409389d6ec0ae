package io.arraymorph.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS server on 127.0.0.1 presenting a certificate a client must refuse (by default a freshly
 * made self-signed one that no client trusts), for proving that certificate errors fail loudly
 * instead of being ignored. It completes handshakes where a client accepts them and then closes the
 * connection.
 */
public final class UntrustedTlsServer implements AutoCloseable {
  private final SSLServerSocket socket;
  private final Thread acceptor;

  private UntrustedTlsServer(SSLServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::acceptLoop, "untrusted-tls-server");
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  /** Makes a self-signed certificate for 127.0.0.1 with the JDK's keytool and starts serving. */
  public static UntrustedTlsServer start(Path workDir) throws Exception {
    Path keystore = workDir.resolve("untrusted.p12");
    Files.deleteIfExists(keystore);
    String password = "changeit";
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=IP:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-keypass",
                password)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    return presenting(keystore, password);
  }

  /**
   * Serves the key and chain of a PKCS12 keystore on 127.0.0.1: for certificates a client must
   * refuse even from a CA it trusts (another host's name, expired).
   */
  public static UntrustedTlsServer presenting(Path keystore, String password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, password.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket server =
        (SSLServerSocket)
            ctx.getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    return new UntrustedTlsServer(server);
  }

  /** The endpoint, {@code https://127.0.0.1:port}. */
  public String endpoint() {
    return "https://127.0.0.1:" + socket.getLocalPort();
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        client.setSoTimeout(2000);
        client.getInputStream().read(); // drives the handshake; a distrustful client aborts it
      } catch (IOException expected) {
        // Failed handshakes are the point; a closed server socket ends the loop.
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
