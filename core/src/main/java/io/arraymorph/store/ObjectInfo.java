package io.arraymorph.store;

/** An object's key (relative to the store's root) and size in bytes. */
public record ObjectInfo(String key, long size) {}
