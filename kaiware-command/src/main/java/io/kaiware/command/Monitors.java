package io.kaiware.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MONITOR: the clients that see every command the server runs, one line each, as Redis writes them
 * (replication.c replicationFeedMonitors): {@code +<sec>.<usec> [<db> <addr>] "cmd" "arg" ...},
 * arguments quoted as sdscatrepr quotes them, {@code lua} for the address of a command a script
 * called, and AUTH's and HELLO AUTH's secrets shown as {@code "(redacted)"}.
 *
 * <p>Which commands: what Redis feeds — every command that ran, after it ran, except ADMIN ones
 * (too dangerous to show) and the scripts, which are fed before they run so that the commands they
 * call follow them. Queued commands are fed when EXEC runs them, then EXEC. On a replicated server a
 * write is fed where it is received, when it is submitted to the log (the member applying the log
 * does not feed it again); the commands a script calls are fed where the script runs.
 *
 * <p>No cost when nobody monitors: the dispatcher tests {@link #active} once per command.
 * Engine-thread confined.
 */
public final class Monitors {

  private record Feed(ClientSession session, Propagation.Sink sink) {}

  private final List<Feed> feeds = new ArrayList<>();

  /** Whether any client monitors. */
  public boolean active() {
    return !feeds.isEmpty();
  }

  /** Adds {@code session}, whose connection {@code sink} writes to. */
  public void attach(ClientSession session, Propagation.Sink sink) {
    feeds.add(new Feed(session, sink));
  }

  /** How many clients monitor. */
  public int count() {
    return feeds.size();
  }

  /**
   * Feeds {@code argv}, run by {@code session} ({@code script}: called by a script) in database
   * {@code db}, to every monitor; monitors whose connection closed are dropped.
   */
  public void feed(ClientSession session, boolean script, int db, byte[][] argv) {
    if (feeds.isEmpty()) {
      return;
    }
    if (held != null) {
      held.add(new Held(session, script, db, argv));
      return;
    }
    Instant now = Instant.now();
    StringBuilder head = new StringBuilder(64);
    head.append('+').append(now.getEpochSecond()).append('.')
        .append(String.format(Locale.ROOT, "%06d", now.getNano() / 1000))
        .append(" [").append(db).append(' ').append(script ? "lua" : session.remoteAddress()).append("] ");
    ByteArrayOutputStream line = new ByteArrayOutputStream(head.length() + 16 * argv.length);
    line.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    boolean[] redacted = redactions(argv);
    for (int i = 0; i < argv.length; i++) {
      if (i > 0) {
        line.write(' ');
      }
      repr(line, redacted[i] ? REDACTED : argv[i]);
    }
    line.write('\r');
    line.write('\n');
    byte[] bytes = line.toByteArray();
    for (int i = 0; i < feeds.size(); i++) {
      Feed f = feeds.get(i);
      if (!f.sink.open()) {
        feeds.remove(i--);
        continue;
      }
      f.sink.send(bytes);
    }
  }

  private record Held(ClientSession session, boolean script, int db, byte[][] argv) {}

  /** While a script probe runs: what it fed, until we know whether the probe's run counts. */
  private List<Held> held;

  /**
   * Holds back what is fed from now on: a script's probe (ADR 0006) runs its first commands, and
   * if it then stops at a write, the log runs them again and feeds them then — they must not show
   * twice.
   */
  public void hold() {
    held = new ArrayList<>();
  }

  /** Ends {@link #hold}: feeds what was held ({@code deliver}: the probe's run was the run), or drops it. */
  public void release(boolean deliver) {
    List<Held> lines = held;
    held = null;
    if (deliver && lines != null) {
      for (Held h : lines) {
        feed(h.session(), h.script(), h.db(), h.argv());
      }
    }
  }

  private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

  /** The arguments Redis redacts (redactClientCommandArgument): AUTH's, and HELLO's after AUTH. */
  static boolean[] redactions(byte[][] argv) {
    boolean[] redacted = new boolean[argv.length];
    String name = new String(argv[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    if (name.equals("auth")) {
      for (int i = 1; i < argv.length; i++) {
        redacted[i] = true;
      }
    } else if (name.equals("hello")) {
      for (int i = 2; i + 2 < argv.length; i++) { // HELLO protover AUTH user pass: two arguments after AUTH
        if (new String(argv[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase("AUTH")) {
          redacted[i + 1] = true;
          redacted[i + 2] = true;
          break;
        }
      }
    }
    return redacted;
  }

  /** sds.c sdscatrepr: a double-quoted string, with \\ \" \n \r \t \a \b escaped and other non-printables as \xHH. */
  static void repr(ByteArrayOutputStream out, byte[] arg) {
    out.write('"');
    for (byte b : arg) {
      int c = b & 0xff;
      switch (c) {
        case '\\', '"' -> {
          out.write('\\');
          out.write(c);
        }
        case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
        case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
        case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
        case 7 -> out.writeBytes(new byte[] {'\\', 'a'});
        case 8 -> out.writeBytes(new byte[] {'\\', 'b'});
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            out.write(c);
          } else {
            out.writeBytes(String.format(Locale.ROOT, "\\x%02x", c).getBytes(StandardCharsets.US_ASCII));
          }
        }
      }
    }
    out.write('"');
  }
}
