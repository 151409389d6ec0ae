package io.arraymorph.kerchunk;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The data files kerchunk refs name, as planning saw them: one HEAD per distinct file (in parallel,
 * at most {@code maxInFlight} at once, each file once per reader of the references), recorded as
 * {@link PlannedFile#dataFile}s that tasks and Java API reads check after reading chunks from them
 * ({@link io.arraymorph.scan.VersionCheck}). Kerchunk refs hold offsets into files they do not
 * version, so a data file replaced after planning would otherwise be read at stale offsets
 * silently.
 */
public final class KerchunkDataFiles {
  private final Function<String, KerchunkReferences.Location> resolve;
  private final int maxInFlight;
  private final Map<String, PlannedFile> planned = new ConcurrentHashMap<>();

  /**
   * @param resolve where the refs' file URLs are read
   */
  public KerchunkDataFiles(Function<String, KerchunkReferences.Location> resolve, int maxInFlight) {
    this.resolve = resolve;
    this.maxInFlight = maxInFlight;
  }

  /**
   * The planned state of each of {@code urls}, HEADing those not seen before.
   *
   * @throws ArrayMorphException naming the file when one does not exist
   */
  public Map<String, PlannedFile> plan(Collection<String> urls) {
    List<String> missing = urls.stream().filter(u -> !planned.containsKey(u)).distinct().toList();
    AsyncLimiter limiter = new AsyncLimiter(Math.max(1, maxInFlight));
    List<CompletableFuture<Optional<ObjectInfo>>> heads = new ArrayList<>();
    for (String url : missing) {
      heads.add(
          limiter.submit(
              () -> {
                KerchunkReferences.Location at = resolve.apply(url);
                return at.store().head(at.key());
              }));
    }
    for (int i = 0; i < missing.size(); i++) {
      String url = missing.get(i);
      ObjectInfo info =
          Futures.join(heads.get(i))
              .orElseThrow(
                  () ->
                      new ArrayMorphException(
                          "Kerchunk data file '"
                              + url
                              + "' named by the references does not exist; regenerate the"
                              + " references or restore the file"));
      planned.put(url, PlannedFile.dataFile(url, info));
    }
    Map<String, PlannedFile> out = new LinkedHashMap<>();
    for (String url : urls) {
      out.put(url, planned.get(url));
    }
    return out;
  }
}
