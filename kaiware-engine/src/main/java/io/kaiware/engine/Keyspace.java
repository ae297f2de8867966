package io.kaiware.engine;

/**
 * All numbered databases of one server, plus the counters Redis reports about them.
 *
 * <p>The deterministic core of Kaiware: everything that changes it takes the command time as an
 * argument. Single-threaded (ADR 0003).
 */
public final class Keyspace {

  /** Redis's default database count. */
  public static final int DEFAULT_DATABASES = 16;

  private final Database[] databases;
  private boolean activeExpireEnabled = true;
  private long keyspaceHits;
  private long keyspaceMisses;

  public Keyspace() {
    this(DEFAULT_DATABASES);
  }

  public Keyspace(int databaseCount) {
    databases = new Database[databaseCount];
    for (int i = 0; i < databaseCount; i++) {
      databases[i] = new Database(i);
    }
  }

  public int databaseCount() {
    return databases.length;
  }

  public Database db(int index) {
    return databases[index];
  }

  public void flushAll() {
    for (Database db : databases) {
      db.clear();
    }
  }

  /** Total keys in all databases. */
  public long keyCount() {
    long total = 0;
    for (Database db : databases) {
      total += db.size();
    }
    return total;
  }

  /**
   * One round of active expiry over every database, visiting at most {@code maxSlotsPerDb} slots
   * in each. Returns the number of keys removed.
   */
  public int activeExpireCycle(long nowMs, int maxSlotsPerDb) {
    if (!activeExpireEnabled) {
      return 0;
    }
    int removed = 0;
    for (Database db : databases) {
      removed += db.activeExpire(nowMs, maxSlotsPerDb);
    }
    return removed;
  }

  /** DEBUG SET-ACTIVE-EXPIRE: tests turn background expiry off to observe lazy expiry alone. */
  public void setActiveExpireEnabled(boolean enabled) {
    this.activeExpireEnabled = enabled;
  }

  public boolean activeExpireEnabled() {
    return activeExpireEnabled;
  }

  public void recordHit() {
    keyspaceHits++;
  }

  public void recordMiss() {
    keyspaceMisses++;
  }

  /** Keys removed because they expired, lazily or actively, in all databases. */
  public long expiredKeys() {
    long total = 0;
    for (Database db : databases) {
      total += db.expiredKeys();
    }
    return total;
  }

  public long keyspaceHits() {
    return keyspaceHits;
  }

  public long keyspaceMisses() {
    return keyspaceMisses;
  }

  public void resetStats() {
    for (Database db : databases) {
      db.resetStats();
    }
    keyspaceHits = 0;
    keyspaceMisses = 0;
  }
}
