package io.kaiware.command;

import java.nio.charset.StandardCharsets;

/**
 * Redis's keyspace notifications ({@code notify.c}): the event classes of
 * {@code notify-keyspace-events} and the {@code __keyspace@<db>__:<key>} /
 * {@code __keyevent@<db>__:<event>} messages. Handlers call {@link CommandContext#notify}, which
 * costs one flag test when the class is off (the default: every class off).
 *
 * <p>Messages are published on this server only (Pub/Sub is per member, not replicated): every
 * member of a Raft group publishes the events of the writes it applies. Publishing never changes
 * the dataset.
 */
public final class KeyspaceEvents {

  public static final int KEYSPACE = 1; // K
  public static final int KEYEVENT = 1 << 1; // E
  public static final int GENERIC = 1 << 2; // g
  public static final int STRING = 1 << 3; // $
  public static final int LIST = 1 << 4; // l
  public static final int SET = 1 << 5; // s
  public static final int HASH = 1 << 6; // h
  public static final int ZSET = 1 << 7; // z
  public static final int EXPIRED = 1 << 8; // x
  public static final int EVICTED = 1 << 9; // e
  public static final int STREAM = 1 << 10; // t
  public static final int KEY_MISS = 1 << 11; // m (not part of A)
  public static final int MODULE = 1 << 13; // d
  public static final int NEW = 1 << 14; // n (not part of A)
  public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

  /** Redis's error text for a character that names no class. */
  public static final String INVALID = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

  private KeyspaceEvents() {}

  /** Redis's {@code keyspaceEventsStringToFlags}: the classes named, or -1 for an unknown character. */
  public static int parse(String classes) {
    int flags = 0;
    for (int i = 0; i < classes.length(); i++) {
      switch (classes.charAt(i)) {
        case 'A' -> flags |= ALL;
        case 'g' -> flags |= GENERIC;
        case '$' -> flags |= STRING;
        case 'l' -> flags |= LIST;
        case 's' -> flags |= SET;
        case 'h' -> flags |= HASH;
        case 'z' -> flags |= ZSET;
        case 'x' -> flags |= EXPIRED;
        case 'e' -> flags |= EVICTED;
        case 'K' -> flags |= KEYSPACE;
        case 'E' -> flags |= KEYEVENT;
        case 't' -> flags |= STREAM;
        case 'm' -> flags |= KEY_MISS;
        case 'd' -> flags |= MODULE;
        case 'n' -> flags |= NEW;
        default -> {
          return -1;
        }
      }
    }
    return flags;
  }

  /** Redis's {@code keyspaceEventsFlagsToString}: the canonical text CONFIG GET answers. */
  public static String format(int flags) {
    StringBuilder sb = new StringBuilder();
    if ((flags & ALL) == ALL) {
      sb.append('A');
    } else {
      if ((flags & GENERIC) != 0) sb.append('g');
      if ((flags & STRING) != 0) sb.append('$');
      if ((flags & LIST) != 0) sb.append('l');
      if ((flags & SET) != 0) sb.append('s');
      if ((flags & HASH) != 0) sb.append('h');
      if ((flags & ZSET) != 0) sb.append('z');
      if ((flags & EXPIRED) != 0) sb.append('x');
      if ((flags & EVICTED) != 0) sb.append('e');
      if ((flags & STREAM) != 0) sb.append('t');
      if ((flags & MODULE) != 0) sb.append('d');
      if ((flags & NEW) != 0) sb.append('n');
    }
    if ((flags & KEYSPACE) != 0) sb.append('K');
    if ((flags & KEYEVENT) != 0) sb.append('E');
    if ((flags & KEY_MISS) != 0) sb.append('m');
    return sb.toString();
  }

  /**
   * Redis's {@code notifyKeyspaceEvent} past its class test: publishes on the keyspace and/or
   * keyevent channel as {@code flags} ask.
   */
  static void publish(ServerHooks server, int flags, String event, byte[] key, int db) {
    byte[] eventBytes = null;
    if ((flags & KEYSPACE) != 0) {
      eventBytes = event.getBytes(StandardCharsets.ISO_8859_1);
      server.publish("__keyspace@" + db + "__:" + new String(key, StandardCharsets.ISO_8859_1), eventBytes);
    }
    if ((flags & KEYEVENT) != 0) {
      server.publish("__keyevent@" + db + "__:" + event, key);
    }
  }
}
