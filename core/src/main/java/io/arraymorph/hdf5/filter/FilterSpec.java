package io.arraymorph.hdf5.filter;

import java.util.Arrays;

/**
 * One entry of a dataset's filter pipeline message, in pipeline (encoding) order.
 *
 * @param id the registered filter id (1 deflate, 2 shuffle, 3 fletcher32, 32000 lzf, ...)
 * @param name the name stored in the file, or the well-known name for ids below 256
 * @param optional whether a chunk may skip this filter (its filter-mask bit is then set)
 * @param clientData the filter's parameters as stored
 */
public record FilterSpec(int id, String name, boolean optional, int[] clientData)
    implements java.io.Serializable {

  public FilterSpec {
    clientData = clientData.clone();
  }

  @Override
  public int[] clientData() {
    return clientData.clone();
  }

  @Override
  public String toString() {
    return clientData.length == 0 ? name : name + Arrays.toString(clientData);
  }
}
