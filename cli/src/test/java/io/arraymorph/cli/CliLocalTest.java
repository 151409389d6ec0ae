package io.arraymorph.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/** The {@link CliStoreContract} scenarios on the local disk. */
class CliLocalTest extends CliStoreContract {
  private final String root;

  CliLocalTest() throws IOException {
    root = Files.createTempDirectory("cli-local").toString();
  }

  @Override
  protected String root() {
    return root;
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of();
  }
}
