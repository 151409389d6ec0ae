package io.arraymorph.cli;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.options.ArrayMorphOption;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.store.StoreSettings;
import java.io.PrintWriter;
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

  /** The resolved store settings; warns once about option names the command-line tool ignores. */
  StoreSettings settings() {
    if (settings == null) {
      ArrayMorphOptions.unknownWarning(common.options.keySet(), ArrayMorphOption::commandLine)
          .ifPresent(w -> err().println(w.replace("arraymorph: ", "arraymorph: warning: ")));
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
