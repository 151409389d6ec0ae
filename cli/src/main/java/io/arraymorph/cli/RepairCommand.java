package io.arraymorph.cli;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.write.PublicationRepair;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code arraymorph repair <location> [dataset]}: finishes publications that stopped part-way,
 * through core's {@link PublicationRepair} (under each dataset's writer lock; a live writer's lock
 * is never broken).
 */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description =
        "Repair datasets whose write stopped part-way (readers refuse them as 'publishing'): roll"
            + " the write forward from its staged chunks, or back when it never marked the"
            + " dataset. Without DATASET, repairs every interrupted write the store's staging area"
            + " records and reports datasets left publishing with no record to repair them from.")
final class RepairCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "LOCATION", description = "Store location (path or URI).")
  String location;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DATASET",
      description = "Dataset path, e.g. values; all interrupted writes when omitted.")
  String dataset;

  @Override
  int run() {
    try (ArrayStore store = open(location)) {
      if (dataset != null) {
        print(store.repair(dataset));
        return 0;
      }
      List<String> skipped = new ArrayList<>();
      List<PublicationRepair.Result> results = store.repairAll(skipped);
      results.forEach(this::print);
      for (String path : skipped) {
        out().println(path + ": skipped, a live writer holds its lock; run repair after it ends");
      }
      if (results.isEmpty() && skipped.isEmpty()) {
        out().println("No interrupted writes found.");
      }
      boolean unrepaired =
          results.stream().anyMatch(r -> r.outcome() == PublicationRepair.Outcome.UNREPAIRABLE);
      return skipped.isEmpty() && !unrepaired ? 0 : 1;
    }
  }

  private void print(PublicationRepair.Result r) {
    String job = r.job() == null ? "" : " of job " + r.job();
    out()
        .println(
            switch (r.outcome()) {
              case NOTHING_TO_DO ->
                  r.path() + ": nothing to repair (generation " + r.generation() + ", stable)";
              case ROLLED_FORWARD ->
                  r.path()
                      + ": rolled forward: the interrupted write"
                      + job
                      + " is published (generation "
                      + r.generation()
                      + ")";
              case ROLLED_BACK ->
                  r.path()
                      + ": rolled back: the interrupted write"
                      + job
                      + " never marked the dataset; its staging was removed (generation "
                      + r.generation()
                      + " stays)";
              case CLEANED ->
                  r.path()
                      + ": the write"
                      + job
                      + " had finished; its leftover staging was removed (generation "
                      + r.generation()
                      + ")";
              case UNREPAIRABLE -> r.path() + ": not repaired: " + r.reason();
            });
  }
}
