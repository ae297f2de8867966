package io.kaiware.command;

import io.kaiware.command.config.ServerConfig;
import io.kaiware.engine.HashValue;
import io.kaiware.engine.SetValue;
import io.kaiware.engine.SortedSet;

/**
 * Redis's listpack limits for hashes and sorted sets (hash-/zset-max-listpack-entries and -value),
 * and its conversion rules, applied to the encoding OBJECT ENCODING reports. Kaiware keeps one
 * representation per type; what changes is only the reported name, so that tools and tests that
 * set these knobs see Redis's answers. Conversions are one way, as in Redis: a hash or sorted set
 * leaves "listpack" when an entry too long is written or the size passes the limit, and never comes
 * back, except a *STORE result or a RESTOREd value, which is compact exactly when it fits.
 *
 * <p>Sets differ: their two encodings are two representations ({@link SetValue}), and the limit,
 * set-max-intset-entries, is passed to every add ({@link #setMaxIntsetEntries()}).
 *
 * <p>Like every parameter these are per server, read when a command applies: the members of a Raft
 * group should be configured alike (the config file; CONFIG SET changes one member), or their
 * encodings can differ. Only the encodings: no write's effect depends on them (SPOP picks the same
 * member from an intset and a hashtable of the same members, {@link SetValue#randomPosition}).
 */
public final class CompactEncodings {

  private int hashMaxEntries = 128;
  private int hashMaxValueBytes = 64;
  private int zsetMaxEntries = 128;
  private int zsetMaxValueBytes = 64;
  private int setMaxIntsetEntries = SetValue.DEFAULT_MAX_INTSET_ENTRIES;
  private long streamNodeMaxBytes = 4096;
  private long streamNodeMaxEntries = 100;
  private long hllSparseMaxBytes = 3000;

  static final String[] PARAMS = {"hash-max-listpack-entries", "hash-max-listpack-value", "zset-max-listpack-entries",
      "zset-max-listpack-value", "set-max-intset-entries", "stream-node-max-bytes", "stream-node-max-entries",
      "hll-sparse-max-bytes"};

  void configure(ServerConfig config) {
    hashMaxEntries = config.getInt("hash-max-listpack-entries");
    hashMaxValueBytes = config.getInt("hash-max-listpack-value");
    zsetMaxEntries = config.getInt("zset-max-listpack-entries");
    zsetMaxValueBytes = config.getInt("zset-max-listpack-value");
    setMaxIntsetEntries = (int) Math.min(config.getLong("set-max-intset-entries"), SetValue.INTSET_ENTRIES_CAP);
    streamNodeMaxBytes = config.getLong("stream-node-max-bytes");
    streamNodeMaxEntries = config.getLong("stream-node-max-entries");
    hllSparseMaxBytes = config.getLong("hll-sparse-max-bytes");
  }

  /**
   * hll-sparse-max-bytes: the longest a sparse HyperLogLog may grow (header included) before it is
   * promoted to dense. Unlike the other knobs this one shapes the stored bytes, so the members of a
   * Raft group must agree on it.
   */
  public long hllSparseMaxBytes() {
    return hllSparseMaxBytes;
  }

  /** stream-node-max-bytes: where a stream node ends (StreamValue.append; 0 = no limit). */
  public long streamNodeMaxBytes() {
    return streamNodeMaxBytes;
  }

  /** stream-node-max-entries: the most entries of a stream node (0 = no limit). */
  public long streamNodeMaxEntries() {
    return streamNodeMaxEntries;
  }

  /** set-max-intset-entries (at most Redis's cap of 2^30): the most members an intset holds. */
  public int setMaxIntsetEntries() {
    return setMaxIntsetEntries;
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

  /**
   * A value built whole (a *STORE result, a RESTOREd value): compact exactly when it fits. A set
   * (RESTORE only: the set *STOREs add member by member, as Redis does) is re-encoded as Redis loads one.
   */
  public void built(Object value) {
    if (value instanceof HashValue hash) {
      hash.compactIfFits(hashMaxEntries, hashMaxValueBytes);
    } else if (value instanceof SortedSet zset) {
      zset.compactIfFits(zsetMaxEntries, zsetMaxValueBytes);
    } else if (value instanceof SetValue set) {
      set.encodeAsLoaded(setMaxIntsetEntries);
    }
  }
}
