package io.arraymorph.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One throwaway test CA per JVM and the https servers that present certificates it issued for
 * 127.0.0.1 and localhost: S3Proxy and Azurite, each started on first use and stopped at exit.
 */
public final class HttpsTestServers {
  /** The names the loopback servers' certificates are issued for. */
  public static final String LOOPBACK_NAMES = "ip:127.0.0.1,dns:localhost";

  private static TestCertificates authority;
  private static S3ProxyServer s3Proxy;
  private static AzuriteServer azurite;

  private HttpsTestServers() {}

  /** The CA of this JVM, made on first use in a temporary folder. */
  public static synchronized TestCertificates authority() {
    if (authority == null) {
      try {
        Path dir = Files.createTempDirectory("arraymorph-test-ca");
        authority = TestCertificates.createAuthority(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot make the test CA", e);
      }
    }
    return authority;
  }

  /** An S3Proxy serving https with a certificate from {@link #authority()} for 127.0.0.1. */
  public static synchronized S3ProxyServer s3Proxy() {
    if (s3Proxy == null) {
      TestCertificates.Issued cert = issue("s3proxy-loopback");
      s3Proxy =
          S3ProxyServer.startHttps(cert.keystore(), TestCertificates.PASSWORD, authority().caPem());
    }
    return s3Proxy;
  }

  /** An Azurite serving https with a certificate from {@link #authority()} for 127.0.0.1. */
  public static synchronized AzuriteServer azurite() {
    if (azurite == null) {
      TestCertificates.Issued cert = issue("azurite-loopback");
      azurite = AzuriteServer.startHttps(cert.chainPem(), cert.keyPem(), authority().caPem());
    }
    return azurite;
  }

  /** A certificate from {@link #authority()} valid from now for two days. */
  public static TestCertificates.Issued issue(String name) {
    return issue(name, LOOPBACK_NAMES, 0, 2);
  }

  /** A certificate from {@link #authority()}; see {@link TestCertificates#issue}. */
  public static TestCertificates.Issued issue(
      String name, String subjectAltNames, int startDaysFromNow, int validityDays) {
    try {
      return authority().issue(name, subjectAltNames, startDaysFromNow, validityDays);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot issue the test certificate " + name, e);
    }
  }
}
