/**
 * A block-cached, range-reading, thread-safe {@code SeekableByteChannel} over one stored object.
 */
package io.arraymorph.hdf5.channel;
