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
          .filter(k -> !StoreSettings.KNOWN_OPTIONS.contains(k))
          .forEach(unknown::add);
      if (!unknown.isEmpty()) {
        err()
            .println(
                "arraymorph: warning: option(s) "
                    + unknown
                    + " are not ArrayMorph store options; known: "
                    + new TreeSet<>(StoreSettings.KNOWN_OPTIONS));
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
