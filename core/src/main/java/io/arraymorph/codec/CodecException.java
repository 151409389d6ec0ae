package io.arraymorph.codec;

import io.arraymorph.ArrayMorphException;

/** Stored bytes could not be decoded: corrupt, truncated, or failing a checksum. */
public class CodecException extends ArrayMorphException {
  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
