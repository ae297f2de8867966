package io.kaiware.command;

import io.kaiware.engine.Database;
import io.kaiware.engine.Keyspace;
import io.kaiware.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/**
 * Everything a {@link CommandHandler} sees for one command: its arguments, the client's session,
 * the keyspace, the reply writer and the command time. One instance per engine, reused for every
 * command, so dispatch allocates nothing.
 *
 * <p>{@link #nowMs()} is the only clock a handler may read: on a replicated group it is the time
 * stamped into the log entry, which keeps every replica's TTL decisions identical.
 */
public final class CommandContext {

  private final Keyspace keyspace;
  private final ServerHooks server;
  private final CommandTable commands;
  private byte[][] args;
  private ClientSession session;
  private RespWriter reply;
  private long nowMs;
  private CommandSpec spec;
  private Dispatcher dispatcher;

  public CommandContext(Keyspace keyspace, ServerHooks server, CommandTable commands) {
    this.keyspace = keyspace;
    this.server = server;
    this.commands = commands;
    this.config = server == null ? null : server.config();
    keyspace.expiredListener((db, key) -> {
      notify(KeyspaceEvents.EXPIRED, "expired", key, db);
      if (dispatcher != null) {
        dispatcher.propagation().expired(db, key);
      }
    });
    if (config != null) {
      newKeyEvents();
      config.onChange("notify-keyspace-events", p -> newKeyEvents());
    }
  }

  private final io.kaiware.command.config.ServerConfig config;

  /**
   * Redis's "new" event (class n, published by dbAdd) comes from the key table's insert hook, which
   * is installed only while the class is on: inserts cost nothing more otherwise.
   */
  private void newKeyEvents() {
    keyspace.newKeyListener((config.notifyKeyspaceEvents() & KeyspaceEvents.NEW) == 0 ? null
        : (db, key) -> notify(KeyspaceEvents.NEW, "new", key, db));
  }

  /**
   * Redis's {@code notifyKeyspaceEvent(type, event, key, db)} for the client's selected database:
   * publishes {@code event} on this server's {@code __keyspace@}/{@code __keyevent@} channels if
   * notify-keyspace-events enables {@code type} ({@link KeyspaceEvents} classes). When the class is
   * off (the default) this is one flag test: nothing is built or allocated.
   */
  public void notify(int type, String event, byte[] key) {
    if (config != null && (config.notifyKeyspaceEvents() & type) != 0) {
      KeyspaceEvents.publish(server, config.notifyKeyspaceEvents(), event, key, session.db());
    }
  }

  /** {@link #notify(int, String, byte[])} for database {@code db}. */
  public void notify(int type, String event, byte[] key, int db) {
    if (config != null && (config.notifyKeyspaceEvents() & type) != 0) {
      KeyspaceEvents.publish(server, config.notifyKeyspaceEvents(), event, key, db);
    }
  }

  void bind(byte[][] args, ClientSession session, RespWriter reply, long nowMs) {
    this.args = args;
    this.session = session;
    this.reply = reply;
    this.nowMs = nowMs;
  }

  void spec(CommandSpec spec) {
    this.spec = spec;
  }

  public CommandSpec spec() {
    return spec;
  }

  public byte[][] args() {
    return args;
  }

  public int argc() {
    return args.length;
  }

  public byte[] arg(int index) {
    return args[index];
  }

  /** An argument as text: bytes map 1:1 to chars (ISO-8859-1), so any binary argument round-trips. */
  public String argString(int index) {
    return new String(args[index], StandardCharsets.ISO_8859_1);
  }

  /**
   * Argument {@code index} as Redis's {@code %s} prints it in an error: a C string, so nothing from
   * its first NUL byte on ("Unsupported option abc" for {@code "abc\0def"}).
   */
  public String argCString(int index) {
    return cString(argString(index));
  }

  /** {@code s} up to its first NUL: what C's {@code %s} prints of it. */
  public static String cString(String s) {
    int nul = s.indexOf('\0');
    return nul < 0 ? s : s.substring(0, nul);
  }

  /** Whether argument {@code index} equals {@code word} ignoring ASCII case ("EX", "nx" ...). */
  public boolean argIs(int index, String word) {
    byte[] a = args[index];
    if (a.length != word.length()) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      int c = a[i];
      int w = word.charAt(i);
      if (c != w && !(Character.isLetter(w) && (c | 0x20) == (w | 0x20))) {
        return false;
      }
    }
    return true;
  }

  /** Argument {@code index} as a long, or a {@link CommandError} with Redis's text. */
  public long longArg(int index) {
    long value = Numbers.parseLong(args[index]);
    if (value == Numbers.NOT_A_LONG && !Numbers.isMinLong(args[index])) {
      throw new CommandError(CommandError.NOT_AN_INTEGER);
    }
    return value;
  }

  /**
   * Argument {@code index} as an int: Redis's getIntFromObjectOrReply. Not a 64-bit integer: {@link
   * CommandError#NOT_AN_INTEGER}; an integer outside the int range: Redis's range error.
   */
  public int intArg(int index) {
    long value = longArg(index);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new CommandError("ERR value is out of range, value must between -2147483648 and 2147483647");
    }
    return (int) value;
  }

  /** Argument {@code index} as a long, or a {@link CommandError} saying {@code error}. */
  public long longArg(int index, String error) {
    long value = Numbers.parseLong(args[index]);
    if (value == Numbers.NOT_A_LONG && !Numbers.isMinLong(args[index])) {
      throw new CommandError(error);
    }
    return value;
  }

  /** Argument {@code index} as a long of at least {@code min}, else {@code error} (Redis's getRangeLongFromObjectOrReply). */
  public long longArgAtLeast(int index, long min, String error) {
    long value = longArg(index, error);
    if (value < min) {
      throw new CommandError(error);
    }
    return value;
  }

  public ClientSession session() {
    return session;
  }

  public RespWriter reply() {
    return reply;
  }

  public long nowMs() {
    return nowMs;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  /** The client's selected database. */
  public Database db() {
    return keyspace.db(session.db());
  }

  public ServerHooks server() {
    return server;
  }

  void dispatcher(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** The dispatcher running this command: its counters feed INFO stats and commandstats. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The replication stream: how the running command propagates (see {@link Propagation}). */
  public Propagation propagation() {
    return dispatcher.propagation();
  }

  public CommandTable commands() {
    return commands;
  }
}
