package io.arraymorph.options;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One option ArrayMorph accepts, declared once in {@link ArrayMorphOptions}: its name, value type,
 * default, where it is read, whether its value is a secret, the environment variable that can set
 * it, and a one-line description (the documentation tables are generated from these).
 *
 * <p>Values are looked up in a map of already resolved options (names lower-cased). A blank value
 * counts as unset, as an empty environment variable does.
 *
 * @param <T> the parsed value
 */
public final class ArrayMorphOption<T> {
  private final String name;
  private final OptionType<T> type;
  private final T defaultValue;
  private final String defaultText;
  private final Set<OptionScope> scopes;
  private final boolean secret;
  private final String environmentVariable;
  private final boolean commandLine;
  private final String doc;

  private ArrayMorphOption(Builder<T> b) {
    this.name = Objects.requireNonNull(b.name);
    this.type = Objects.requireNonNull(b.type);
    this.defaultValue = b.defaultValue;
    this.defaultText = b.defaultText != null ? b.defaultText : "none";
    this.scopes = Collections.unmodifiableSet(EnumSet.copyOf(b.scopes));
    this.secret = b.secret;
    this.environmentVariable = b.environmentVariable;
    this.commandLine = b.commandLine || b.scopes.contains(OptionScope.STORE);
    this.doc = Objects.requireNonNull(b.doc, b.name + " needs a doc line");
  }

  /** Starts declaring an option. */
  static <T> Builder<T> builder(String name, OptionType<T> type) {
    return new Builder<>(name, type);
  }

  /** The option's name, lower case. */
  public String name() {
    return name;
  }

  /** What the option's value must be, as error messages say it. */
  public String expected() {
    return type.expected();
  }

  /** The value used when the option is unset, or null when the caller decides. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default as the documentation says it. */
  public String defaultText() {
    return defaultText;
  }

  /** Where the option is read. */
  public Set<OptionScope> scopes() {
    return scopes;
  }

  /** Whether the value is a secret: never logged, printed or put in messages. */
  public boolean secret() {
    return secret;
  }

  /** The environment variable setting the option when neither options nor session do. */
  public Optional<String> environmentVariable() {
    return Optional.ofNullable(environmentVariable);
  }

  /** Whether the command-line tool takes it with {@code --option} (every store option does). */
  public boolean commandLine() {
    return commandLine;
  }

  /** One line saying what the option does. */
  public String doc() {
    return doc;
  }

  /**
   * Parses a value of this option.
   *
   * @throws IllegalArgumentException naming the option, the value (unless secret) and what it
   *     accepts
   */
  public T parse(String raw) {
    String s = raw.trim();
    try {
      T v = type.parser().apply(s);
      if (v != null) {
        return v;
      }
    } catch (RuntimeException e) {
      // reported below, naming the option
    }
    throw invalid(raw);
  }

  /** The error for a value this option does not accept; never shows a secret value. */
  public IllegalArgumentException invalid(String raw) {
    return new IllegalArgumentException(
        "Option '"
            + name
            + "' must be "
            + type.expected()
            + ", not "
            + (secret ? "the value given" : "'" + raw + "'"));
  }

  /**
   * The parsed value in {@code options} (resolved options, names lower-cased), if set.
   *
   * @throws IllegalArgumentException when the value is not accepted
   */
  public Optional<T> from(Map<String, String> options) {
    String raw = options.get(name);
    return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(parse(raw));
  }

  /**
   * The parsed value in {@code options}, else the default.
   *
   * @throws IllegalArgumentException when the value is not accepted
   */
  public T get(Map<String, String> options) {
    return from(options).orElse(defaultValue);
  }

  @Override
  public String toString() {
    return name;
  }

  /** Declares an option; see {@link ArrayMorphOptions}. */
  static final class Builder<T> {
    private final String name;
    private final OptionType<T> type;
    private T defaultValue;
    private String defaultText;
    private final EnumSet<OptionScope> scopes = EnumSet.noneOf(OptionScope.class);
    private boolean secret;
    private String environmentVariable;
    private boolean commandLine;
    private String doc;

    private Builder(String name, OptionType<T> type) {
      this.name = name;
      this.type = type;
    }

    Builder<T> scopes(OptionScope first, OptionScope... more) {
      scopes.add(first);
      scopes.addAll(java.util.List.of(more));
      return this;
    }

    /** A default the code uses; documented as written. */
    Builder<T> defaultValue(T value, String text) {
      this.defaultValue = value;
      this.defaultText = text;
      return this;
    }

    /** A default decided elsewhere (the store, the data), described for the documentation. */
    Builder<T> defaultText(String text) {
      this.defaultText = text;
      return this;
    }

    Builder<T> secret() {
      this.secret = true;
      return this;
    }

    Builder<T> env(String variable) {
      this.environmentVariable = variable;
      return this;
    }

    Builder<T> commandLine() {
      this.commandLine = true;
      return this;
    }

    ArrayMorphOption<T> doc(String line) {
      this.doc = line;
      return new ArrayMorphOption<>(this);
    }
  }
}
