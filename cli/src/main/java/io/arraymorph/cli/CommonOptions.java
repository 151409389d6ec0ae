package io.arraymorph.cli;

import io.arraymorph.store.StoreSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every subcommand takes: store settings and verbosity. */
public final class CommonOptions {
  @Option(
      names = {"-o", "--option"},
      paramLabel = "KEY=VALUE",
      description =
          "A store setting under ArrayMorph's option names (endpoint, access_key, region,"
              + " addressing_style, connection_string, max_concurrency, ...); repeatable. Overrides"
              + " the matching environment variable (AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, ...).")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(
      names = {"-v", "--verbose"},
      description = "Print the stack trace of errors (secrets are still redacted).")
  boolean verbose;

  /** The settings for every store this command opens: options over the environment. */
  StoreSettings settings(Map<String, String> env) {
    return StoreSettings.resolve(options, Map.of(), env);
  }
}
