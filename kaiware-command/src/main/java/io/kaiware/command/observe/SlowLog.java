package io.kaiware.command.observe;

import io.kaiware.command.ClientSession;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Redis's slow log: commands whose execution took longer than {@code slowlog-log-slower-than}
 * microseconds, newest first, at most {@code slowlog-max-len} of them. Arguments are stored the way
 * Redis trims them: at most 32, each at most 128 bytes. Engine thread only.
 */
public final class SlowLog {

  /** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
  static final int MAX_ARGS = 32;
  static final int MAX_ARG_BYTES = 128;

  /** One slow command. */
  public record Entry(long id, long timestampS, long durationUs, byte[][] args, String clientAddress, String clientName) {}

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long nextId;
  private volatile long thresholdUs = 10_000;
  private volatile int maxLength = 128;

  public void configure(long thresholdUs, int maxLength) {
    this.thresholdUs = thresholdUs;
    this.maxLength = maxLength;
    trim();
  }

  /** Records the command if it was slow enough; cheap when it was not. */
  public void maybeRecord(ClientSession session, byte[][] args, long durationUs, long nowMs) {
    long threshold = thresholdUs;
    if (threshold < 0 || durationUs < threshold) {
      return;
    }
    entries.addFirst(new Entry(nextId++, nowMs / 1000, durationUs, trimArgs(redact(args)), session.remoteAddress(), session.name()));
    trim();
  }

  private void trim() {
    while (entries.size() > maxLength) {
      entries.removeLast();
    }
  }

  private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

  /** Like Redis, never keeps a password: AUTH's and HELLO's arguments are replaced. */
  static byte[][] redact(byte[][] args) {
    String name = new String(args[0], StandardCharsets.US_ASCII);
    if (!name.equalsIgnoreCase("auth") && !name.equalsIgnoreCase("hello")) {
      return args;
    }
    byte[][] out = args.clone();
    for (int i = 1; i < out.length; i++) {
      out[i] = REDACTED;
    }
    return out;
  }

  static byte[][] trimArgs(byte[][] args) {
    int kept = Math.min(args.length, MAX_ARGS);
    byte[][] out = new byte[kept][];
    for (int i = 0; i < kept; i++) {
      if (kept < args.length && i == kept - 1) {
        out[i] = ("... (" + (args.length - kept + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
      } else if (args[i].length > MAX_ARG_BYTES) {
        byte[] head = Arrays.copyOf(args[i], MAX_ARG_BYTES);
        byte[] tail = ("... (" + (args[i].length - MAX_ARG_BYTES) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
        out[i] = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out[i], head.length, tail.length);
      } else {
        out[i] = args[i];
      }
    }
    return out;
  }

  /** The newest {@code count} entries (all when negative). */
  public List<Entry> newest(long count) {
    List<Entry> out = new ArrayList<>();
    Iterator<Entry> it = entries.iterator();
    while (it.hasNext() && (count < 0 || out.size() < count)) {
      out.add(it.next());
    }
    return out;
  }

  public int length() {
    return entries.size();
  }

  public void reset() {
    entries.clear();
  }
}
