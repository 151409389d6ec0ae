package io.arraymorph.cli;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code arraymorph cat <location> <dataset> [--slice 5:15,0:10:2] [--format table|csv]}: prints
 * the values of a selection. The selection is read in slabs along its first dimension, so memory
 * stays bounded however large it is.
 */
@Command(
    name = "cat",
    mixinStandardHelpOptions = true,
    description =
        "Print the values of a dataset or of a NumPy-style slice of it, as a table or as CSV"
            + " (one line per element with its indices).")
final class CatCommand extends StoreCommand {
  /** How values are printed. */
  enum Format {
    table,
    csv
  }

  /** Elements read per slab; bounds memory for large selections. */
  static final long SLAB_ELEMENTS = 1 << 20;

  @Parameters(index = "0", paramLabel = "LOCATION", description = "Store location (path or URI).")
  String location;

  @Parameters(index = "1", paramLabel = "DATASET", description = "Dataset path, e.g. values.")
  String dataset;

  @Option(
      names = {"-s", "--slice"},
      paramLabel = "SLICE",
      converter = SliceConverter.class,
      description =
          "NumPy-style selection, one part per dimension: index, or start:stop[:step] (e.g."
              + " 5:15,0:10:2, -1, ::2). Dimensions left out are selected whole.")
  Slice slice = Slice.all();

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "table (default): rows of values; csv: indices and value per line.")
  Format format = Format.table;

  /** Parses --slice while the command line is parsed, so bad syntax is a usage error. */
  static final class SliceConverter implements ITypeConverter<Slice> {
    @Override
    public Slice convert(String value) {
      try {
        return Slice.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  int run() {
    try (ArrayStore store = open(location)) {
      Dataset d = store.dataset(dataset);
      Hyperslab selection = slice.resolve(d.shape(), d.dimensionNames());
      String valueName = lastSegment(d.path());
      if (format == Format.csv) {
        List<String> header = new ArrayList<>(d.dimensionNames());
        header.add(valueName);
        out().println(String.join(",", header));
      }
      for (Hyperslab slab : slabs(selection)) {
        NdArray values = d.read(slab);
        if (format == Format.csv) {
          printCsv(slab, values);
        } else {
          printTable(
              slab, values, d.dimensionNames(), valueName, slab.start(0) == selection.start(0));
        }
      }
    }
    return 0;
  }

  /** Splits a selection along its first dimension into slabs of at most SLAB_ELEMENTS. */
  static List<Hyperslab> slabs(Hyperslab sel) {
    int rank = sel.rank();
    if (rank == 0 || sel.size() <= SLAB_ELEMENTS) {
      return List.of(sel);
    }
    long perIndex = Math.max(1, sel.size() / sel.count(0));
    long step = Math.max(1, SLAB_ELEMENTS / perIndex);
    List<Hyperslab> out = new ArrayList<>();
    for (long i = 0; i < sel.count(0); i += step) {
      long[] start = new long[rank];
      long[] stride = new long[rank];
      long[] count = new long[rank];
      long[] block = new long[rank];
      for (int d = 0; d < rank; d++) {
        start[d] = sel.start(d);
        stride[d] = sel.stride(d);
        count[d] = sel.count(d);
        block[d] = sel.block(d);
      }
      start[0] = sel.start(0) + i * sel.stride(0);
      count[0] = Math.min(step, sel.count(0) - i);
      out.add(new Hyperslab(start, stride, count, block));
    }
    return out;
  }

  /** The array index of position {@code pos} along dimension d of a (block 1) selection. */
  private static long index(Hyperslab slab, int d, long pos) {
    return slab.start(d) + pos * slab.stride(d);
  }

  private void printCsv(Hyperslab slab, NdArray values) {
    long[] shape = values.shape();
    int rank = shape.length;
    long[] pos = new long[rank];
    StringBuilder sb = new StringBuilder();
    for (int flat = 0; flat < values.size(); flat++) {
      sb.setLength(0);
      for (int d = 0; d < rank; d++) {
        sb.append(index(slab, d, pos[d])).append(',');
      }
      sb.append(Values.format(values, flat));
      out().println(sb);
      for (int d = rank - 1; d >= 0; d--) {
        if (++pos[d] < shape[d]) {
          break;
        }
        pos[d] = 0;
      }
    }
  }

  /**
   * Rank 0: the value. Rank 1: index and value columns. Rank 2: a matrix labelled with row and
   * column indices. Higher ranks: one matrix per index of the leading dimensions.
   */
  private void printTable(
      Hyperslab slab, NdArray values, List<String> dims, String valueName, boolean first) {
    long[] shape = values.shape();
    int rank = shape.length;
    if (rank == 0) {
      out().println(Values.format(values, 0));
      return;
    }
    if (rank == 1) {
      List<List<String>> rows = new ArrayList<>();
      if (first) {
        rows.add(List.of(dims.get(0), valueName));
      }
      for (int i = 0; i < shape[0]; i++) {
        rows.add(List.of(Long.toString(index(slab, 0, i)), Values.format(values, i)));
      }
      Values.align(rows, true).forEach(out()::println);
      return;
    }
    int rows = (int) shape[rank - 2];
    int cols = (int) shape[rank - 1];
    long matrices = values.size() / Math.max(1, (long) rows * cols);
    if ((long) rows * cols == 0) {
      return;
    }
    long[] lead = new long[rank - 2];
    for (long m = 0; m < matrices; m++) {
      if (rank > 2) {
        StringBuilder label = new StringBuilder("[");
        for (int d = 0; d < rank - 2; d++) {
          label.append(dims.get(d)).append('=').append(index(slab, d, lead[d])).append(", ");
        }
        out().println(label.append(":, :]"));
      }
      List<List<String>> table = new ArrayList<>();
      List<String> header = new ArrayList<>();
      header.add(dims.get(rank - 2) + "\\" + dims.get(rank - 1));
      for (int c = 0; c < cols; c++) {
        header.add(Long.toString(index(slab, rank - 1, c)));
      }
      if (rank > 2 || first) {
        table.add(header);
      }
      int base = (int) (m * rows * cols);
      for (int r = 0; r < rows; r++) {
        List<String> row = new ArrayList<>();
        row.add(Long.toString(index(slab, rank - 2, r)));
        for (int c = 0; c < cols; c++) {
          row.add(Values.format(values, base + r * cols + c));
        }
        table.add(row);
      }
      Values.align(table, true).forEach(out()::println);
      for (int d = rank - 3; d >= 0; d--) {
        if (++lead[d] < shape[d]) {
          break;
        }
        lead[d] = 0;
      }
    }
  }

  static String lastSegment(String path) {
    int slash = path.lastIndexOf('/');
    String name = slash >= 0 ? path.substring(slash + 1) : path;
    return name.isEmpty() ? "value" : name;
  }
}
