package io.arraymorph.store.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Hadoop properties reach the Configuration from every accepted form, with their case intact. */
class HadoopConfigurationsTest {
  @Test
  void propertiesComeFromHadoopConfSparkHadoopAndDirectForms() {
    StoreSettings settings =
        StoreSettings.of(
            Map.of(
                "hadoop.conf.fs.s3a.endpoint", "http://127.0.0.1:9000",
                "spark.hadoop.fs.s3a.path.style.access", "true",
                "fs.AbstractFileSystem.s3a.impl", "org.apache.hadoop.fs.s3a.S3A",
                "region", "us-east-2"));
    Configuration conf = HadoopConfigurations.from(settings);
    assertEquals("http://127.0.0.1:9000", conf.get("fs.s3a.endpoint"));
    assertEquals("true", conf.get("fs.s3a.path.style.access"));
    assertEquals("org.apache.hadoop.fs.s3a.S3A", conf.get("fs.AbstractFileSystem.s3a.impl"));
    assertEquals(null, conf.get("region"));
  }

  @Test
  void hadoopConfWinsOverSparkHadoopWhichWinsOverDirect() {
    StoreSettings settings =
        StoreSettings.of(
            Map.of(
                "fs.s3a.endpoint", "direct",
                "spark.hadoop.fs.s3a.endpoint", "spark",
                "hadoop.conf.fs.s3a.endpoint", "explicit"));
    assertEquals("explicit", HadoopConfigurations.from(settings).get("fs.s3a.endpoint"));
  }

  @Test
  void secretPropertiesAreRecognised() {
    assertTrue(HadoopConfigurations.isSecret("fs.s3a.secret.key"));
    assertTrue(HadoopConfigurations.isSecret("fs.azure.account.key.acct.blob.core.windows.net"));
    assertFalse(HadoopConfigurations.isSecret("fs.s3a.endpoint"));
  }

  @Test
  void providerTakesHadoopSchemesButLeavesDedicatedOnes() {
    HadoopStoreProvider p = new HadoopStoreProvider();
    assertTrue(p.accepts(StoreUri.parse("s3a://b/p"), StoreSettings.empty()));
    assertTrue(p.accepts(StoreUri.parse("hdfs://nn:8020/p"), StoreSettings.empty()));
    assertFalse(p.accepts(StoreUri.parse("s3://b/p"), StoreSettings.empty()));
    assertFalse(p.accepts(StoreUri.parse("/tmp/x"), StoreSettings.empty()));
    assertFalse(
        p.accepts(StoreUri.parse("abfss://c@a.dfs.core.windows.net/"), StoreSettings.empty()));
    assertTrue(p.accepts(StoreUri.parse("/tmp/x"), StoreSettings.of(Map.of("storage", "hadoop"))));
  }
}
