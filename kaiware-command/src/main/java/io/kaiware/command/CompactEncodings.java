package io.kaiware.command;

import io.kaiware.command.config.ServerConfig;
import io.kaiware.engine.HashValue;
import io.kaiware.engine.SortedSet;

/**
 * Redis's listpack limits for hashes and sorted sets (hash-/zset-max-listpack-entries and -value),
 * and its conversion rules, applied to the encoding OBJECT ENCODING reports. Kaiware keeps one
 * representation per type; what changes is only the reported name, so that tools and tests that
 * set these knobs see Redis's answers. Conversions are one way, as in Redis: a hash or sorted set
 * leaves "listpack" when an entry too long is written or the size passes the limit, and never comes
 * back, except a *STORE result or a RESTOREd value, which is compact exactly when it fits.
 */
public final class CompactEncodings {

  private int hashMaxEntries = 128;
  private int hashMaxValueBytes = 64;
  private int zsetMaxEntries = 128;
  private int zsetMaxValueBytes = 64;

  static final String[] PARAMS = {"hash-max-listpack-entries", "hash-max-listpack-value", "zset-max-listpack-entries",
      "zset-max-listpack-value"};

  void configure(ServerConfig config) {
    hashMaxEntries = config.getInt("hash-max-listpack-entries");
    hashMaxValueBytes = config.getInt("hash-max-listpack-value");
    zsetMaxEntries = config.getInt("zset-max-listpack-entries");
    zsetMaxValueBytes = config.getInt("zset-max-listpack-value");
  }

  /** After HSET/HSETNX/HINCRBY* wrote (or, for HSETNX, offered) {@code field} = {@code value}. */
  public void hashWritten(HashValue hash, byte[] field, byte[] value) {
    if (hash.compact() && (hash.size() > hashMaxEntries || field.length > hashMaxValueBytes || value.length > hashMaxValueBytes)) {
      hash.leaveCompact();
    }
  }

  /** After ZADD/ZINCRBY added the new {@code member}. */
  public void zsetAdded(SortedSet zset, byte[] member) {
    if (zset.compact() && (zset.size() > zsetMaxEntries || member.length > zsetMaxValueBytes)) {
      zset.leaveCompact();
    }
  }

  /** A value built whole (a *STORE result, a RESTOREd value): compact exactly when it fits. */
  public void built(Object value) {
    if (value instanceof HashValue hash) {
      hash.compactIfFits(hashMaxEntries, hashMaxValueBytes);
    } else if (value instanceof SortedSet zset) {
      zset.compactIfFits(zsetMaxEntries, zsetMaxValueBytes);
    }
  }
}
