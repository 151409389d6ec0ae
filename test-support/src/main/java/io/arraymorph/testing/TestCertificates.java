package io.arraymorph.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority made with the JDK's {@code keytool}, and server certificates it
 * signs, for TLS tests against loopback servers. Every key is new per instance and lives in the
 * given folder only.
 */
public final class TestCertificates {
  /** The password of every keystore made here (test material, not a secret). */
  public static final String PASSWORD = "arraymorph-test";

  private static final String CA_ALIAS = "ca";
  private static final String SERVER_ALIAS = "server";

  private final Path dir;
  private final Path caKeystore;
  private final Path caPem;

  private TestCertificates(Path dir, Path caKeystore, Path caPem) {
    this.dir = dir;
    this.caKeystore = caKeystore;
    this.caPem = caPem;
  }

  /**
   * A server certificate with its key.
   *
   * @param keystore PKCS12 keystore with the key and the chain (server, CA), password {@link
   *     #PASSWORD}
   * @param chainPem the chain as PEM
   * @param keyPem the private key as PKCS#8 PEM
   */
  public record Issued(Path keystore, Path chainPem, Path keyPem) {}

  /** Makes a new CA (EC P-256, valid for 3 days) in {@code dir}. */
  public static TestCertificates createAuthority(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path ks = dir.resolve("ca.p12");
    Path pem = dir.resolve("ca.pem");
    Files.deleteIfExists(ks);
    keytool(
        "-genkeypair",
        "-alias",
        CA_ALIAS,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=ArrayMorph Test CA",
        "-validity",
        "3",
        "-ext",
        "bc:c=ca:true",
        "-ext",
        "ku:c=keyCertSign,cRLSign",
        "-storetype",
        "PKCS12",
        "-keystore",
        ks.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        CA_ALIAS,
        "-keystore",
        ks.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        pem.toString());
    return new TestCertificates(dir, ks, pem);
  }

  /** The CA certificate as PEM: what {@code tls_ca_file} names. */
  public Path caPem() {
    return caPem;
  }

  /**
   * Issues a server certificate for {@code subjectAltNames} (keytool syntax, e.g. {@code
   * ip:127.0.0.1,dns:localhost}), valid from {@code startDaysFromNow} for {@code validityDays}.
   */
  public Issued issue(String name, String subjectAltNames, int startDaysFromNow, int validityDays)
      throws IOException {
    Path ks = dir.resolve(name + ".p12");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".crt");
    Files.deleteIfExists(ks);
    keytool(
        "-genkeypair",
        "-alias",
        SERVER_ALIAS,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-validity",
        "3",
        "-storetype",
        "PKCS12",
        "-keystore",
        ks.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-certreq",
        "-alias",
        SERVER_ALIAS,
        "-keystore",
        ks.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        csr.toString());
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        CA_ALIAS,
        "-keystore",
        caKeystore.toString(),
        "-storepass",
        PASSWORD,
        "-infile",
        csr.toString(),
        "-outfile",
        cert.toString(),
        "-startdate",
        (startDaysFromNow >= 0 ? "+" : "") + startDaysFromNow + "d",
        "-validity",
        Integer.toString(validityDays),
        "-ext",
        "san=" + subjectAltNames,
        "-ext",
        "eku=serverAuth",
        "-ext",
        "ku:c=digitalSignature");
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        CA_ALIAS,
        "-file",
        caPem.toString(),
        "-keystore",
        ks.toString(),
        "-storepass",
        PASSWORD);
    keytool(
        "-importcert",
        "-alias",
        SERVER_ALIAS,
        "-file",
        cert.toString(),
        "-keystore",
        ks.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    Path chainPem = dir.resolve(name + "-chain.pem");
    Path keyPem = dir.resolve(name + "-key.pem");
    writePem(ks, chainPem, keyPem);
    return new Issued(ks, chainPem, keyPem);
  }

  /** Writes the server entry's chain and PKCS#8 key as PEM (Azurite takes PEM files). */
  private static void writePem(Path keystore, Path chainPem, Path keyPem) throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      Key key = ks.getKey(SERVER_ALIAS, PASSWORD.toCharArray());
      List<String> blocks = new ArrayList<>();
      for (Certificate c : ks.getCertificateChain(SERVER_ALIAS)) {
        blocks.add(pem("CERTIFICATE", c.getEncoded()));
      }
      Files.writeString(chainPem, String.join("", blocks), StandardCharsets.US_ASCII);
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("Cannot read the keystore " + keystore, e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("keytool " + args[0] + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted running keytool", e);
    }
  }
}
