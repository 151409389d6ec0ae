package io.arraymorph.store.hadoop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hadoop failures name the problem and never show a secret Hadoop property. */
@StartsServers
class HadoopStoreErrorsTest {
  private static final String WRONG_SECRET = "wrong-hadoop-secret-93kd";

  @Test
  void wrongS3aCredentialsNameTheCredentialPropertiesWithoutTheSecret() throws Exception {
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("hadoop-errors");
    server.createBucket(bucket);
    try (ObjectStore store =
        ObjectStores.open(
            "s3a://" + bucket + "/p",
            StoreSettings.of(HadoopS3aContractTest.s3aSettings(server, WRONG_SECRET)))) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> store.put("k", new byte[] {1}).get(60, TimeUnit.SECONDS));
      StoreException s = assertInstanceOf(StoreException.class, Futures.unwrap(e));
      assertTrue(s.getMessage().contains("fs.s3a.secret.key"), s.getMessage());
      StringWriter out = new StringWriter();
      s.printStackTrace(new PrintWriter(out));
      assertFalse(out.toString().contains(WRONG_SECRET));
      assertFalse(store.describe().contains(WRONG_SECRET));
    }
  }

  @Test
  void unknownSchemeIsNamed() {
    StoreException e =
        assertThrows(
            StoreException.class, () -> ObjectStores.open("nosuchfs://x/y", StoreSettings.empty()));
    assertTrue(e.getMessage().contains("'nosuchfs'"), e.getMessage());
  }
}
