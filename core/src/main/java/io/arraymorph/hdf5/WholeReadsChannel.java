package io.arraymorph.hdf5;

import io.arraymorph.hdf5.channel.StoreByteChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The channel jhdf reads through: a {@link StoreByteChannel} whose reads that would pass the end of
 * the object fail instead of returning fewer bytes. jhdf asks for whole metadata blocks and retries
 * a short read at the same offset until its buffer is full, so a corrupt size near the end of a
 * file would make it copy the same tail millions of times (found by Hdf5FuzzTest). {@link
 * BoundedHdfFileChannel} refuses such reads before jhdf allocates; this channel also guards the
 * reads jhdf makes on the channel directly (the superblock).
 */
final class WholeReadsChannel implements SeekableByteChannel {
  private final StoreByteChannel channel;

  WholeReadsChannel(StoreByteChannel channel) {
    this.channel = channel;
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    long position = channel.position();
    long size = channel.size();
    if (position < size && dst.remaining() > size - position) {
      throw new IOException(
          BoundedHdfFileChannel.pastTheEnd(dst.remaining(), position, channel.key(), size));
    }
    return channel.read(dst);
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    return channel.position();
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    channel.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
