package io.arraymorph.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The {@code tls_ca_file} option: a PEM file of extra CA certificates (a private or test CA) that
 * the S3 and Azure stores trust <em>in addition to</em> the JVM's trust store ({@code cacerts}, or
 * {@code javax.net.ssl.trustStore} when set). Certificate chains and host names are still checked
 * as usual: this never turns verification off.
 */
public final class TlsTrust {
  /** The option naming the PEM file. */
  public static final String OPTION = "tls_ca_file";

  private TlsTrust() {}

  /**
   * The CA file named by {@code tls_ca_file}, checked to be a readable file, or empty when unset.
   *
   * @throws IllegalArgumentException naming the option when the file is missing or unreadable
   */
  public static Optional<Path> caFileOf(StoreSettings settings) {
    Optional<String> raw = settings.get(OPTION).map(String::trim).filter(v -> !v.isEmpty());
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Path file = Path.of(raw.get());
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          "Option '"
              + OPTION
              + "' ("
              + raw.get()
              + ") is not a readable file: give the path of a PEM file with the CA certificate(s)"
              + " that signed the endpoint's certificate (ARRAYMORPH_TLS_CA_FILE); on a Spark"
              + " cluster the file must exist at that path on every executor");
    }
    return Optional.of(file);
  }

  /**
   * An SSL context trusting the JVM's default CAs plus every certificate in {@code caFile}.
   *
   * @throws IllegalArgumentException naming the option when the file holds no usable certificate
   */
  public static SSLContext sslContext(Path caFile) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager(caFile)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "Cannot build a TLS context with " + OPTION + " " + caFile, e);
    }
  }

  /**
   * The JDK's PKIX trust manager over the JVM's default CAs plus every certificate in {@code
   * caFile}: chains, validity and (in the TLS engine) host names are checked as usual.
   *
   * @throws IllegalArgumentException naming the option when the file holds no usable certificate
   */
  public static X509TrustManager trustManager(Path caFile) {
    List<X509Certificate> extra = readCertificates(caFile);
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
        anchors.setCertificateEntry("default-" + n++, ca);
      }
      for (X509Certificate ca : extra) {
        anchors.setCertificateEntry("tls_ca_file-" + n++, ca);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(anchors);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new GeneralSecurityException("The JVM has no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "Cannot build a TLS context with " + OPTION + " " + caFile, e);
    }
  }

  /** The certificates of a PEM (or DER) file, at least one. */
  static List<X509Certificate> readCertificates(Path caFile) {
    Collection<? extends Certificate> read;
    try (InputStream in = Files.newInputStream(caFile)) {
      read = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (CertificateException | IOException e) {
      throw new IllegalArgumentException(
          "Option '"
              + OPTION
              + "' ("
              + caFile
              + ") does not hold readable certificates ("
              + e.getMessage()
              + "): give a PEM file of '-----BEGIN CERTIFICATE-----' blocks",
          e);
    }
    List<X509Certificate> certs = new ArrayList<>();
    for (Certificate c : read) {
      if (c instanceof X509Certificate x) {
        certs.add(x);
      }
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(
          "Option '"
              + OPTION
              + "' ("
              + caFile
              + ") holds no certificate: give a PEM file of '-----BEGIN CERTIFICATE-----' blocks");
    }
    return certs;
  }

  /**
   * What is wrong with the server's certificate, as a clause for an error message that also says
   * the fix, when {@code failure}'s causes are the JDK's certificate checks; else empty.
   */
  public static Optional<String> certificateProblem(Throwable failure) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = failure; t != null && chain.length() < 20_000; t = t.getCause()) {
      chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    String text = chain.toString().toLowerCase(java.util.Locale.ROOT);
    if (text.contains("no subject alternative") || text.contains("no name matching")) {
      return Optional.of(
          "the server's certificate is issued for another host name (host name verification is"
              + " on): connect by a name or IP address that the certificate lists");
    }
    if (text.contains("certificateexpired")
        || text.contains("certificatenotyetvalid")
        || text.contains("validity check failed")) {
      return Optional.of(
          "the server's certificate has expired or is not yet valid: renew it on the server");
    }
    if (text.contains("pkix path") || text.contains("unable to find valid certification path")) {
      return Optional.of(
          "the server's certificate is not signed by a trusted CA: set "
              + OPTION
              + " (ARRAYMORPH_TLS_CA_FILE) to a PEM file of the CA that signed it");
    }
    return Optional.empty();
  }

  /** The JVM's own trust manager: {@code javax.net.ssl.trustStore} when set, else cacerts. */
  private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("The JVM has no X.509 trust manager");
  }
}
