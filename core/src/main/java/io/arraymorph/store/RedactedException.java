package io.arraymorph.store;

import java.util.function.UnaryOperator;

/**
 * A copy of a library's exception with secrets removed from its message, for use as the cause of a
 * {@link StoreException}: causes end up in logs, and a client library may echo a credential (a SAS
 * token in a URL, a connection string) in its own message. The copy keeps the original type's name,
 * the redacted message and the stack trace, and so do its causes.
 */
public final class RedactedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String originalType;

  private RedactedException(String originalType, String message) {
    super(message, null, false, true);
    this.originalType = originalType;
  }

  /**
   * {@code t} itself when no message in its cause chain holds a secret of {@code settings}, else a
   * redacted copy of the chain.
   */
  public static Throwable redact(Throwable t, StoreSettings settings) {
    return redact(t, settings::redact);
  }

  /**
   * {@code t} itself when {@code redactor} changes no message in its cause chain, else a copy of
   * the chain with every message passed through {@code redactor}.
   */
  public static Throwable redact(Throwable t, UnaryOperator<String> redactor) {
    if (t == null || !holdsSecret(t, redactor)) {
      return t;
    }
    return copy(t, redactor, 0);
  }

  private static boolean holdsSecret(Throwable t, UnaryOperator<String> redactor) {
    for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
      String m = t.getMessage();
      if (m != null && !m.equals(redactor.apply(m))) {
        return true;
      }
    }
    return false;
  }

  private static RedactedException copy(Throwable t, UnaryOperator<String> redactor, int depth) {
    String message = t.getMessage() == null ? null : redactor.apply(t.getMessage());
    RedactedException copy = new RedactedException(t.getClass().getName(), message);
    copy.setStackTrace(t.getStackTrace());
    if (t.getCause() != null && t.getCause() != t && depth < 20) {
      copy.initCause(copy(t.getCause(), redactor, depth + 1));
    }
    return copy;
  }

  /** The class name of the exception this copies. */
  public String originalType() {
    return originalType;
  }

  @Override
  // It stands in for another exception: it prints as that one would, under the original's type.
  @SuppressWarnings("OverrideThrowableToString")
  public String toString() {
    String m = getLocalizedMessage();
    return originalType + (m == null ? "" : ": " + m);
  }
}
