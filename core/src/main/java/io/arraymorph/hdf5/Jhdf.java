package io.arraymorph.hdf5;

import io.arraymorph.ArrayMorphException;
import io.jhdf.exceptions.UnsupportedHdfException;
import java.util.function.Supplier;

/**
 * Runs jhdf code and turns its failures into ArrayMorph's: jhdf reports unsupported features with
 * {@link UnsupportedHdfException} and everything else (corrupt or truncated metadata) with assorted
 * runtime exceptions, which must reach callers as one clear error naming the file and path.
 */
final class Jhdf {
  private Jhdf() {}

  static <T> T call(Supplier<T> work, String key, String path) {
    try {
      return work.get();
    } catch (ArrayMorphException e) {
      throw e;
    } catch (RuntimeException e) {
      UnsupportedHdfException unsupported = find(e, UnsupportedHdfException.class);
      if (unsupported != null) {
        String message = String.valueOf(unsupported.getMessage());
        if (message.startsWith("Virtual storage")) {
          // jhdf's words name no feature a user can search for.
          throw new Hdf5UnsupportedException(
              "virtual dataset (VDS)",
              path,
              "its values live in source datasets, which read directly (h5dump -p -H lists"
                  + " them), or materialize it first with h5repack -l CONTI",
              e);
        }
        throw new Hdf5UnsupportedException(message, path, e);
      }
      ArrayMorphException ours = find(e, ArrayMorphException.class);
      if (ours != null) {
        throw ours;
      }
      String limit = typeJhdfCannotParse(e);
      if (limit != null) {
        throw new Hdf5UnsupportedException(limit, path, e);
      }
      throw new Hdf5FormatException(
          "Cannot read HDF5 metadata of '"
              + path
              + "' in '"
              + key
              + "' (corrupt or truncated?): "
              + describe(e),
          e);
    } catch (OutOfMemoryError e) {
      // Metadata reads past the file's end are refused before jhdf allocates
      // (BoundedHdfFileChannel);
      // this is the last resort for a corrupt size jhdf allocates from otherwise: the allocation
      // fails at once and nothing else is affected.
      throw new Hdf5FormatException(
          "HDF5 metadata of '"
              + path
              + "' in '"
              + key
              + "' declares a block too large to hold in memory (corrupt file?): "
              + e.getMessage(),
          e);
    } catch (StackOverflowError e) {
      // Corrupt metadata can point back at itself; jhdf then recurses without end.
      throw new Hdf5FormatException(
          "HDF5 metadata of '" + path + "' in '" + key + "' refers to itself (corrupt file)", e);
    }
  }

  /**
   * Datatypes jhdf 0.13 fails to parse in an object header (its failure is no {@link
   * UnsupportedHdfException}, and reads like corruption): named by the jhdf class that failed.
   */
  private static String typeJhdfCannotParse(Throwable t) {
    for (int depth = 0; t != null && depth < 32; t = t.getCause(), depth++) {
      for (StackTraceElement f : t.getStackTrace()) {
        if (f.getClassName().equals("io.jhdf.object.datatype.EnumDataType")) {
          return "enum type with codes jhdf cannot parse (a 4- or 8-byte base whose codes, read as"
              + " little-endian bytes, leave 0..2^31-1: e.g. negative int32 codes)";
        }
        if (f.getClassName().equals("io.jhdf.object.datatype.OpaqueDataType")) {
          return "opaque type with a tag jhdf cannot parse (empty, or a multiple of 8 bytes)";
        }
      }
    }
    return null;
  }

  private static <X extends Throwable> X find(Throwable t, Class<X> type) {
    for (int depth = 0; t != null && depth < 32; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The chain of messages, since jhdf's outer message often only says which object failed. */
  private static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (int depth = 0; t != null && depth < 6; t = t.getCause(), depth++) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    return sb.toString();
  }
}
