package io.kaiware.command.connection;

/** Facts about the Redis that Kaiware presents itself as, to clients that check. */
public final class RedisCompat {
  private RedisCompat() {}

  /**
   * The Redis version Kaiware follows, reply for reply. Reported as redis_version and in HELLO, because
   * client libraries switch features on it; Kaiware's own version is reported beside it.
   */
  public static final String REDIS_VERSION = "7.0.15";
}
