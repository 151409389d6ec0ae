package io.arraymorph.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the runtime jar holds: ours and our libraries, with everything Spark also ships relocated or
 * left to Spark, and the service registrations of every module merged.
 */
class RuntimeJarContentsIT {
  private static JarFile jar;
  private static List<String> classes;

  @BeforeAll
  static void open() throws IOException {
    jar = new JarFile(System.getProperty("runtime.jar"));
    classes = new ArrayList<>();
    Enumeration<JarEntry> entries = jar.entries();
    while (entries.hasMoreElements()) {
      String name = entries.nextElement().getName();
      if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
        classes.add(name);
      }
    }
  }

  @AfterAll
  static void close() throws IOException {
    jar.close();
  }

  @Test
  void bundlesTheConnectorCoreAndEveryStore() {
    for (String c :
        List.of(
            "io/arraymorph/spark/SparkArrayMorphSource.class",
            "io/arraymorph/api/ArrayStore.class",
            "io/arraymorph/store/s3/S3StoreProvider.class",
            "io/arraymorph/store/azure/AzureStoreProvider.class",
            "io/arraymorph/store/hadoop/HadoopStoreProvider.class",
            "io/jhdf/HdfFile.class")) {
      assertTrue(classes.contains(c), c);
    }
  }

  @Test
  void leavesSparkScalaHadoopLoggingAndNativeCodecsToTheCluster() {
    Set<String> found =
        offending(
            "org/apache/spark/",
            "scala/",
            "org/apache/hadoop/",
            "org/slf4j/",
            "org/apache/logging/",
            "com/github/luben/zstd/",
            "net/jpountz/");
    assertEquals(Set.of(), found);
  }

  @Test
  void relocatesEveryLibrarySparkOrOtherConnectorsAlsoShip() {
    Set<String> found =
        offending(
            "com/fasterxml/",
            "org/apache/commons/",
            "com/ning/",
            "reactor/",
            "org/reactivestreams/",
            "com/azure/",
            "software/amazon/eventstream/",
            "io/netty/");
    assertEquals(Set.of(), found);
    assertTrue(
        classes.contains("io/arraymorph/shaded/com/fasterxml/jackson/databind/ObjectMapper.class"));
    // The AWS SDK is relocated, its CRT (JNI bound to its package names) is not.
    assertTrue(
        classes.stream()
            .filter(c -> c.startsWith("software/amazon/awssdk/"))
            .allMatch(c -> c.startsWith("software/amazon/awssdk/crt/")));
    assertTrue(classes.contains("software/amazon/awssdk/crt/CRT.class"));
    // Resources the SDK loads by path moved with its classes.
    assertTrue(
        jar.getEntry(
                "io/arraymorph/shaded/software/amazon/awssdk/regions/internal/region/endpoints.json")
            != null);
  }

  @Test
  void mergesServiceRegistrationsOfAllModules() throws IOException {
    assertEquals(
        Set.of("io.arraymorph.spark.SparkArrayMorphSource"),
        service("org.apache.spark.sql.sources.DataSourceRegister"));
    assertTrue(
        service("io.arraymorph.store.ObjectStoreProvider")
            .containsAll(
                Set.of(
                    "io.arraymorph.store.local.LocalStoreProvider",
                    "io.arraymorph.store.s3.S3StoreProvider",
                    "io.arraymorph.store.azure.AzureStoreProvider",
                    "io.arraymorph.store.hadoop.HadoopStoreProvider")));
    assertEquals(
        Set.of("io.arraymorph.shaded.com.azure.core.http.jdk.httpclient.JdkHttpClientProvider"),
        service("io.arraymorph.shaded.com.azure.core.http.HttpClientProvider"));
  }

  private static Set<String> offending(String... prefixes) {
    return classes.stream()
        .filter(c -> List.of(prefixes).stream().anyMatch(c::startsWith))
        .map(c -> c.substring(0, c.lastIndexOf('/') + 1))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> service(String name) throws IOException {
    JarEntry entry = jar.getJarEntry("META-INF/services/" + name);
    assertTrue(entry != null, "no META-INF/services/" + name);
    try (InputStream in = jar.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
