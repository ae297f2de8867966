package io.kaiware.command;

import java.util.Locale;

/** Redis's command flags, as COMMAND INFO prints them; the dispatcher acts on some of them. */
public enum CommandFlag {
  /** Changes the dataset: rejected on replicas, replicated through the log. */
  WRITE,
  /** Reads the dataset only. */
  READONLY,
  /** May grow memory: rejected when over maxmemory. */
  DENYOOM,
  /** Administrative. */
  ADMIN,
  PUBSUB,
  NOSCRIPT,
  BLOCKING,
  LOADING,
  STALE,
  SKIP_MONITOR,
  SKIP_SLOWLOG,
  /** O(1) or O(log N): fast. */
  FAST,
  /** Allowed before AUTH (AUTH, HELLO, QUIT, RESET ...). */
  NO_AUTH,
  MAY_REPLICATE,
  /** Not allowed inside MULTI (WATCH, MULTI itself, ...). */
  NO_MULTI,
  ALLOW_BUSY,
  /** Redis's NO_MANDATORY_KEYS (EVAL ...): the key count may be zero. */
  NO_MANDATORY_KEYS;

  private final String redisName = name().toLowerCase(Locale.ROOT);

  /** The lowercase name COMMAND INFO prints. */
  public String redisName() {
    return redisName;
  }
}
