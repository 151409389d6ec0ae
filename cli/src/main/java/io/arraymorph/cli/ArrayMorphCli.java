package io.arraymorph.cli;

import io.arraymorph.store.StoreSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code arraymorph} command: list, describe, print and copy N-dimensional arrays in any store
 * ArrayMorph can open. Exit codes: 0 success, 1 runtime error (message on stderr), 2 usage error.
 */
@Command(
    name = "arraymorph",
    mixinStandardHelpOptions = true,
    versionProvider = ArrayMorphCli.Version.class,
    description = "Inspect, print and convert chunked N-dimensional arrays in object stores.",
    footer = {
      "",
      "Locations: a path, file:/path, mem://name, s3://bucket/key, az://container/path, or a"
          + " Hadoop scheme, as far as the stores on the classpath handle them.",
      "Store settings come from --option KEY=VALUE, then ArrayMorph's environment variables"
          + " (AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_S3, AZURE_STORAGE_CONNECTION_STRING, ...).",
      "Exit codes: 0 ok, 1 error (message on stderr), 2 usage error."
    },
    subcommands = {
      LsCommand.class,
      InfoCommand.class,
      CatCommand.class,
      CpCommand.class,
      IndexCommand.class,
      RechunkCommand.class,
      RepairCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ArrayMorphCli implements Runnable {
  /** Exit code of a runtime failure: a missing dataset, an unreachable store, bad bounds. */
  public static final int EXIT_ERROR = 1;

  /** Exit code of a malformed command line. */
  public static final int EXIT_USAGE = 2;

  private final Map<String, String> env;

  @Spec CommandSpec spec;

  /** A command reading store settings from {@code env} (the process environment in main). */
  public ArrayMorphCli(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  Map<String, String> env() {
    return env;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing a command: ls, info, cat, cp, index or rechunk");
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The configured command line: execute it with the arguments to get the exit code. */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new ArrayMorphCli(env));
    cl.setExecutionExceptionHandler(ArrayMorphCli::handleFailure);
    return cl;
  }

  /** Prints a failure as one line naming the problem (secrets redacted) and returns exit code 1. */
  private static int handleFailure(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    Object command = commandLine.getCommand();
    StoreSettings settings = StoreSettings.empty();
    boolean verbose = false;
    if (command instanceof StoreCommand c) {
      verbose = c.common.verbose;
      settings = c.settingsForRedaction();
    }
    PrintWriter err = commandLine.getErr();
    err.println(
        "arraymorph " + commandLine.getCommandName() + ": " + settings.redact(describe(ex)));
    if (verbose) {
      StringWriter trace = new StringWriter();
      ex.printStackTrace(new PrintWriter(trace));
      err.print(settings.redact(trace.toString()));
    } else if (describe(ex).startsWith("internal error")) {
      err.println("Run again with --verbose for the stack trace.");
    }
    err.flush();
    return EXIT_ERROR;
  }

  /** A one-line description of a failure: its message and, when it adds something, its cause's. */
  static String describe(Throwable ex) {
    Throwable t = ex;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return "internal error (" + t.getClass().getSimpleName() + ")";
    }
    // A cause's one-line message adds detail; a multi-line one is an SDK's dump (tips, the
    // response body) that would break the one-line error: --verbose prints it.
    Throwable cause = t.getCause();
    String detail = cause == null || cause.getMessage() == null ? "" : cause.getMessage().strip();
    if (!detail.isEmpty() && !detail.contains("\n") && !message.contains(detail)) {
      message = message + ": " + detail;
    }
    if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
      message = "I/O error: " + message;
    }
    return message;
  }

  /** The version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ArrayMorphCli.class.getPackage().getImplementationVersion();
      return new String[] {"arraymorph " + (v == null ? "(development build)" : v)};
    }
  }
}
