package io.arraymorph.cli;

import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link CliStoreContract} scenarios on S3Proxy (or the CI's S3 server). */
@StartsServers
class CliOnS3Test extends CliStoreContract {
  private final String bucket = S3ProxyServer.uniqueBucketName("cli");
  private final Map<String, String> settings;

  CliOnS3Test() {
    S3ProxyServer server = S3ProxyServer.get();
    server.createBucket(bucket);
    settings = new LinkedHashMap<>(server.settings(bucket));
    settings.remove("bucket"); // the locations name it
  }

  @Override
  protected String root() {
    return "s3://" + bucket + "/run";
  }

  @Override
  protected Map<String, String> settings() {
    return settings;
  }

  @Override
  protected Map<String, String> wrongSecret() {
    Map<String, String> bad = new LinkedHashMap<>(settings);
    bad.put("secret_key", WRONG_SECRET);
    return bad;
  }

  @Override
  protected Map<String, String> closedPort(int port) {
    Map<String, String> bad = new LinkedHashMap<>(settings);
    bad.put("endpoint", "http://127.0.0.1:" + port);
    return bad;
  }
}
