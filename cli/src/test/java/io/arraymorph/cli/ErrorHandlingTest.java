package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorHandlingTest {
  private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY";

  @TempDir Path dir;

  @Test
  void noCommandIsAUsageError() {
    Cli.Result r = Cli.run();
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("Missing a command"), r.toString());
  }

  @Test
  void unknownCommandAndMissingArgumentsAreUsageErrors() {
    assertEquals(2, Cli.run("frobnicate").exit());
    assertEquals(2, Cli.run("info", dir.toString()).exit());
    assertEquals(2, Cli.run("cat").exit());
  }

  @Test
  void helpAndVersionExitZero() {
    Cli.Result help = Cli.run("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("cp") && help.out().contains("import"), help.toString());
    assertEquals(0, Cli.run("--version").exit());
    assertEquals(0, Cli.run("cp", "--help").exit());
  }

  @Test
  void secretGivenAsOptionNeverAppearsInErrorsEvenVerbose() {
    Cli.writeSample(dir);
    for (String verbose : new String[] {"--no-verbose-placeholder", "--verbose"}) {
      String[] args =
          verbose.equals("--verbose")
              ? new String[] {
                "info", "--verbose", "-o", "secret_key=" + SECRET, dir.toString(), SECRET
              }
              : new String[] {"info", "--option", "secret_key=" + SECRET, dir.toString(), SECRET};
      Cli.Result r = Cli.run(args);
      assertEquals(1, r.exit(), r.toString());
      assertFalse(r.err().contains(SECRET), r.toString());
      assertFalse(r.out().contains(SECRET), r.toString());
      assertTrue(r.err().contains("***"), r.toString());
    }
  }

  @Test
  void verbosePrintsTheStackTrace() {
    Cli.writeSample(dir);
    Cli.Result r = Cli.run("cat", "-v", dir.toString(), "missing");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("\tat "), r.toString());
  }

  @Test
  void secretsFromTheEnvironmentAreUsedAndRedacted() {
    Cli.writeSample(dir);
    Cli.Result r =
        Cli.runWithEnv(
            Map.of("AWS_SECRET_ACCESS_KEY", SECRET), "info", dir.toString(), "x" + SECRET);
    assertEquals(1, r.exit(), r.toString());
    assertFalse(r.err().contains(SECRET), r.toString());
  }

  @Test
  void unknownStoreOptionNamesGetAWarningNotAFailure() {
    Cli.writeSample(dir);
    Cli.Result r = Cli.run("ls", "--option", "acess_key=abc", dir.toString());
    assertEquals(0, r.exit(), r.toString());
    // The text docs/troubleshooting.md quotes.
    assertTrue(
        r.err()
            .contains(
                "arraymorph: warning: ignoring unknown option(s)"
                    + " [acess_key (did you mean 'access_key'?)]"),
        r.toString());
    assertFalse(r.err().contains("abc"), "the value is not echoed: " + r);
  }

  @Test
  void aBadOptionValueExitsOneNamingOptionValueAndWhatIsExpected() {
    Cli.writeSample(dir);
    Cli.Result r = Cli.run("ls", "--option", "max_retries=many", dir.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(
        r.err().contains("Option 'max_retries' must be an integer of 0 or more, not 'many'"),
        r.toString());
  }

  @Test
  void unsupportedSchemeExitsOneNamingTheLocation() {
    Cli.Result r = Cli.run("ls", "gopher://host/array");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("gopher"), r.toString());
  }

  @Test
  void aCausesOneLineMessageIsAddedAndAMultiLineOneLeftToVerbose() {
    assertEquals(
        "Store refused: HTTP 403 Forbidden",
        ArrayMorphCli.describe(
            new IllegalStateException(
                "Store refused", new IllegalStateException("HTTP 403 Forbidden"))));
    assertEquals(
        "Store refused",
        ArrayMorphCli.describe(
            new IllegalStateException(
                "Store refused",
                new IllegalStateException("If you are using a key, compare...\n<Error/>"))));
  }
}
