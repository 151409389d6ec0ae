package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.options.ArrayMorphOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {
  /** ArrayMorph's environment variables, as the design lists them. */
  private static final Map<String, String> ENV_NAMES = new LinkedHashMap<>();

  static {
    ENV_NAMES.put("storage", "STORAGE_PLATFORM");
    ENV_NAMES.put("bucket", "BUCKET_NAME");
    ENV_NAMES.put("access_key", "AWS_ACCESS_KEY_ID");
    ENV_NAMES.put("secret_key", "AWS_SECRET_ACCESS_KEY");
    ENV_NAMES.put("session_token", "AWS_SESSION_TOKEN");
    ENV_NAMES.put("region", "AWS_REGION");
    ENV_NAMES.put("endpoint", "AWS_ENDPOINT_URL_S3");
    ENV_NAMES.put("use_tls", "AWS_USE_TLS");
    ENV_NAMES.put("tls_ca_file", "ARRAYMORPH_TLS_CA_FILE");
    ENV_NAMES.put("addressing_style", "AWS_S3_ADDRESSING_STYLE");
    ENV_NAMES.put("signed_payloads", "AWS_SIGNED_PAYLOADS");
    ENV_NAMES.put("connection_string", "AZURE_STORAGE_CONNECTION_STRING");
  }

  @Test
  void everyArrayMorphEnvironmentVariableIsRead() {
    Map<String, String> typedValues =
        Map.of("use_tls", "false", "signed_payloads", "true", "addressing_style", "path");
    ENV_NAMES.forEach(
        (option, variable) -> {
          String value = typedValues.getOrDefault(option, "v-" + variable);
          StoreSettings s = StoreSettings.resolve(Map.of(), Map.of(), Map.of(variable, value));
          assertEquals(Optional.of(value), s.get(option), option);
        });
    assertEquals(ENV_NAMES, StoreSettings.ENVIRONMENT_VARIABLES);
  }

  @Test
  void optionsBeatSessionConfBeatsEnvironment() {
    Map<String, String> env =
        Map.of(
            "AWS_REGION", "env-region",
            "BUCKET_NAME", "env-bucket",
            "AWS_ACCESS_KEY_ID", "ENVKEY",
            "AWS_ENDPOINT_URL_S3", "");
    Map<String, String> session =
        Map.of("region", "session-region", "bucket", "session-bucket", "endpoint", "http://s");
    Map<String, String> options = Map.of("Region", "option-region");
    StoreSettings s = StoreSettings.resolve(options, session, env);
    assertEquals("option-region", s.get("region", null));
    assertEquals("session-bucket", s.get("bucket", null));
    assertEquals("ENVKEY", s.get("access_key", null));
    assertEquals("http://s", s.get("endpoint", null));
    assertEquals("dflt", s.get("storage", "dflt"));
  }

  @Test
  void emptyEnvironmentValuesAreIgnored() {
    StoreSettings s = StoreSettings.resolve(Map.of(), Map.of(), Map.of("AWS_REGION", ""));
    assertEquals(Optional.empty(), s.get("region"));
  }

  private static StoreSettings withSecrets() {
    return StoreSettings.of(
        Map.of(
            "access_key", "AKIAEXAMPLEKEY",
            "secret_key", "wJalrXUtnFEMIsecret",
            "session_token", "FwoGZXIvYXdzEtoken",
            "connection_string", "DefaultEndpointsProtocol=https;AccountKey=abc123==",
            "sas_token", "sv=2022&sig=SASSIG",
            "account_key", "ACCOUNTKEYVALUE",
            "region", "eu-west-1"));
  }

  @Test
  void toStringHidesEverySecret() {
    StoreSettings s = withSecrets();
    String shown = s.toString();
    for (String secret :
        new String[] {
          "AKIAEXAMPLEKEY",
          "wJalrXUtnFEMIsecret",
          "FwoGZXIvYXdzEtoken",
          "AccountKey=abc123",
          "SASSIG",
          "ACCOUNTKEYVALUE"
        }) {
      assertFalse(shown.contains(secret), "toString shows " + secret + ": " + shown);
    }
    assertTrue(shown.contains("eu-west-1"), shown);
    assertTrue(shown.contains("access_key=***"), shown);
  }

  @Test
  void redactRemovesEverySecretFromText() {
    StoreSettings s = withSecrets();
    String text =
        "failed with key AKIAEXAMPLEKEY/wJalrXUtnFEMIsecret token FwoGZXIvYXdzEtoken in"
            + " DefaultEndpointsProtocol=https;AccountKey=abc123== sig sv=2022&sig=SASSIG,"
            + " ACCOUNTKEYVALUE, region eu-west-1";
    String redacted = s.redact(text);
    assertEquals(
        "failed with key ***/*** token *** in *** sig ***, ***, region eu-west-1", redacted);
  }

  @Test
  void settingsSurviveJavaSerialization() throws Exception {
    StoreSettings s = withSecrets().with("max_concurrency", "7");
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
      out.writeObject(s);
    }
    StoreSettings back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
      back = (StoreSettings) in.readObject();
    }
    assertEquals(s, back);
    assertEquals("AKIAEXAMPLEKEY", back.get("access_key", null));
    assertEquals(7, back.get(ArrayMorphOptions.MAX_CONCURRENCY));
  }

  @Test
  void badTypedValuesNameTheOption() {
    StoreSettings s = StoreSettings.of(Map.of("use_tls", "maybe", "max_concurrency", "-3"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.get(ArrayMorphOptions.USE_TLS));
    assertTrue(e.getMessage().contains("use_tls"), e.getMessage());
    IllegalArgumentException e2 =
        assertThrows(
            IllegalArgumentException.class, () -> s.get(ArrayMorphOptions.MAX_CONCURRENCY));
    assertTrue(e2.getMessage().contains("max_concurrency"), e2.getMessage());
    assertTrue(StoreSettings.of(Map.of("use_tls", "TRUE")).get(ArrayMorphOptions.USE_TLS));
    assertEquals(16, StoreSettings.empty().get(ArrayMorphOptions.MAX_CONCURRENCY));
  }

  @Test
  void booleansAcceptOneZeroYesNoAndABlankValueIsUnset() {
    Map<String, Boolean> spellings =
        Map.of("1", true, "0", false, "yes", true, "No", false, "true", true, "FALSE", false);
    spellings.forEach(
        (text, value) ->
            assertEquals(
                value,
                StoreSettings.resolve(Map.of("use_tls", text), Map.of(), Map.of())
                    .get(ArrayMorphOptions.USE_TLS),
                text));
    // A blank value is unset: the default applies, also over the environment's value.
    StoreSettings blank =
        StoreSettings.resolve(Map.of("use_tls", " "), Map.of(), Map.of("AWS_USE_TLS", "no"));
    assertTrue(blank.get(ArrayMorphOptions.USE_TLS));
    assertFalse(
        StoreSettings.resolve(Map.of(), Map.of(), Map.of("AWS_USE_TLS", "no"))
            .get(ArrayMorphOptions.USE_TLS));
  }

  @Test
  void resolvingRejectsABadValueNamingOptionValueAndWhatIsExpected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StoreSettings.resolve(Map.of("max_retries", "many"), Map.of(), Map.of()));
    assertEquals(
        "Option 'max_retries' must be an integer of 0 or more, not 'many'", e.getMessage());
    IllegalArgumentException fromEnv =
        assertThrows(
            IllegalArgumentException.class,
            () -> StoreSettings.resolve(Map.of(), Map.of(), Map.of("AWS_USE_TLS", "perhaps")));
    assertEquals("Option 'use_tls' must be true or false, not 'perhaps'", fromEnv.getMessage());
  }
}
