package io.arraymorph.cli;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.StoreSettings;
import java.io.PrintWriter;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A subcommand that opens stores: shared options, output streams and settings. */
abstract class StoreCommand implements java.util.concurrent.Callable<Integer> {
  /** Option names ArrayMorph's stores and engine read; others get a warning (maybe a typo). */
  static final Set<String> KNOWN_OPTIONS =
      Set.of(
          "storage",
          "bucket",
          "access_key",
          "secret_key",
          "session_token",
          "region",
          "endpoint",
          "use_tls",
          "addressing_style",
          "signed_payloads",
          "connection_string",
          "sas_token",
          "account_key",
          "account_name",
          "anonymous",
          "max_concurrency",
          "local_io_threads",
          "hadoop_io_threads",
          "max_connections",
          "connect_timeout_ms",
          "request_timeout_ms",
          "max_retries",
          "retry_delay_ms",
          "multipart_threshold",
          "multipart_part_size",
          "list_page_size");

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @ParentCommand ArrayMorphCli parent;

  private StoreSettings settings;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The resolved store settings; warns once about option names no store reads. */
  StoreSettings settings() {
    if (settings == null) {
      Set<String> unknown = new TreeSet<>();
      common.options.keySet().stream()
          .map(k -> k.toLowerCase(java.util.Locale.ROOT))
          .filter(k -> !KNOWN_OPTIONS.contains(k))
          .forEach(unknown::add);
      if (!unknown.isEmpty()) {
        err()
            .println(
                "arraymorph: warning: option(s) "
                    + unknown
                    + " are not ArrayMorph store options; known: "
                    + new TreeSet<>(KNOWN_OPTIONS));
      }
      settings = common.settings(parent.env());
    }
    return settings;
  }

  /** Settings to redact error messages with, even when resolving them failed. */
  StoreSettings settingsForRedaction() {
    try {
      return settings != null ? settings : common.settings(parent.env());
    } catch (RuntimeException e) {
      return StoreSettings.empty();
    }
  }

  ArrayStore open(String location) {
    return ArrayStore.open(location, settings());
  }

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } finally {
      out().flush();
      err().flush();
    }
  }

  /** Runs the command; returns the exit code. */
  abstract int run() throws Exception;
}
