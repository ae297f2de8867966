package io.kaiware.command;

import io.kaiware.command.config.ServerConfig;
import io.kaiware.engine.Keyspace;
import io.kaiware.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs commands against a real {@link Dispatcher} and {@link Keyspace} in-process, with a fake
 * {@link ServerHooks}, and decodes the RESP2 replies into plain Java values:
 * simple string -> {@link String}, error -> {@link Err}, integer -> {@link Long},
 * bulk -> {@link String} (ISO-8859-1, so binary round-trips) or {@code null},
 * array -> {@link List} or {@code null}.
 *
 * <p>Time is explicit: {@link #now(long)} sets the command time the next commands run at.
 */
public final class CommandHarness {

  /** An error reply. */
  public record Err(String message) {
    @Override
    public String toString() {
      return "-" + message;
    }
  }

  private final Keyspace keyspace;
  private final Dispatcher dispatcher;
  private final FakeHooks hooks;
  private final ClientSession session;
  private final ByteBuf buf = Unpooled.buffer(256);
  private final RespWriter writer = new RespWriter(buf, 2);
  private long nowMs = 1_700_000_000_000L;

  public CommandHarness() {
    this(new Keyspace());
  }

  public CommandHarness(Keyspace keyspace) {
    this.keyspace = keyspace;
    this.hooks = new FakeHooks();
    CommandTable table = StandardCommands.table();
    this.dispatcher = new Dispatcher(table, new CommandContext(keyspace, hooks, table));
    this.session = newSession();
  }

  private CommandHarness(CommandHarness shared) {
    this.keyspace = shared.keyspace;
    this.hooks = shared.hooks;
    this.dispatcher = shared.dispatcher;
    this.session = shared.newSession();
    this.nowMsSource = shared;
  }

  /** Another client of the same server (same keyspace and dispatcher), sharing the clock. */
  public CommandHarness otherClient() {
    return new CommandHarness(this);
  }

  private CommandHarness nowMsSource;

  private ClientSession newSession() {
    ClientSession s = new ClientSession("127.0.0.1:" + (40000 + hooks.sessions.size()), "127.0.0.1:6379", nowMs, true);
    hooks.sessions.add(s);
    return s;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  public ClientSession session() {
    return session;
  }

  /** The fake server hooks; {@code clients()} is the live, mutable session list. */
  public FakeHooks hooks() {
    return hooks;
  }

  /** Messages published so far ("channel message"), cleared by the call. */
  public List<String> takePublished() {
    List<String> out = new ArrayList<>(hooks.published);
    hooks.published.clear();
    return out;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  public long nowMs() {
    return nowMsSource != null ? nowMsSource.nowMs() : nowMs;
  }

  /** Sets the command time of the following commands. */
  public CommandHarness now(long nowMs) {
    if (nowMsSource != null) {
      nowMsSource.now(nowMs);
    } else {
      this.nowMs = nowMs;
    }
    return this;
  }

  /** Moves the command time forward. */
  public CommandHarness advance(long ms) {
    return now(nowMs() + ms);
  }

  /** Runs one command and returns its decoded reply. */
  public Object exec(String... args) {
    return exec(argv(args));
  }

  /** A command's arguments as the decoder hands them over (ISO-8859-1, so binary round-trips). */
  public static byte[][] argv(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
    }
    return argv;
  }

  public Object exec(byte[]... argv) {
    return decode(execRaw(argv));
  }

  /** Runs one command and returns the raw RESP bytes as ISO-8859-1 text. */
  public String execRaw(byte[]... argv) {
    buf.clear();
    writer.target(buf, session.protocol());
    dispatcher.execute(session, argv, writer, nowMs());
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  public String execRaw(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
    }
    return execRaw(argv);
  }

  /**
   * Decodes one reply (the whole string must be exactly one reply). RESP3 types decode as: double
   * -> {@link Double}, null -> {@code null}, boolean -> {@link Boolean}, set -> {@link List},
   * map -> {@link java.util.LinkedHashMap}.
   */
  public static Object decode(String resp) {
    int[] pos = {0};
    Object value = parse(resp, pos);
    if (pos[0] != resp.length()) {
      throw new IllegalStateException("trailing bytes after reply: " + resp.substring(pos[0]));
    }
    return value;
  }

  private static Object parse(String s, int[] pos) {
    char type = s.charAt(pos[0]);
    int eol = s.indexOf("\r\n", pos[0]);
    String line = s.substring(pos[0] + 1, eol);
    pos[0] = eol + 2;
    switch (type) {
      case '+':
        return line;
      case '-':
        return new Err(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int len = Integer.parseInt(line);
        if (len < 0) {
          return null;
        }
        String body = s.substring(pos[0], pos[0] + len);
        pos[0] += len + 2;
        return body;
      }
      case '*': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(parse(s, pos));
        }
        return items;
      }
      case ',':
        return line.equals("inf") ? Double.POSITIVE_INFINITY : line.equals("-inf") ? Double.NEGATIVE_INFINITY
            : Double.parseDouble(line);
      case '_':
        return null;
      case '#':
        return line.equals("t");
      case '~': {
        int n = Integer.parseInt(line);
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(parse(s, pos));
        }
        return items;
      }
      case '%': {
        int n = Integer.parseInt(line);
        java.util.Map<Object, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          map.put(parse(s, pos), parse(s, pos));
        }
        return map;
      }
      default:
        throw new IllegalStateException("not RESP: " + s);
    }
  }

  /** A ServerHooks that knows only its sessions and the default configuration. */
  public static final class FakeHooks implements ServerHooks {
    final List<ClientSession> sessions = new ArrayList<>();
    /** Every PUBLISH (and keyspace notification) as "channel message", in order. */
    final List<String> published = new ArrayList<>();
    /** REPLICAOF host port accepted here (no link): the masters followed, in order. */
    public final List<String> followed = new ArrayList<>();
    /** What goodReplicaCount answers (min-replicas-to-write). */
    public int goodReplicas;
    /** Runs where a busy script serves the other clients (the network, in the server). */
    public Runnable whileBusy;

    /** What insideIoPass answers: a long probe then stops to run again from a task. */
    public boolean insideIoPass;

    @Override
    public boolean insideIoPass() {
      return insideIoPass;
    }

    @Override
    public void serveClientsWhileBusy() {
      if (whileBusy != null) {
        whileBusy.run();
      }
    }

    @Override
    public String followMaster(io.kaiware.command.replication.ReplicaRole role) {
      followed.add(role.master().host() + ":" + role.master().port());
      return null;
    }

    @Override
    public int goodReplicaCount(long maxLagMs) {
      return goodReplicas;
    }

    @Override
    public int publish(String channel, byte[] message) {
      published.add(channel + " " + new String(message, StandardCharsets.ISO_8859_1));
      return 0;
    }
    private final ServerConfig config = ServerConfig.defaults();

    @Override
    public BuildInfo build() {
      return new BuildInfo("0.0.0-test", "unknown", false, "1970-01-01T00:00:00Z", "test", "test");
    }

    @Override
    public ServerConfig config() {
      return config;
    }

    @Override
    public Collection<ClientSession> clients() {
      return sessions;
    }

    @Override
    public void kill(ClientSession session) {
      session.setCloseAfterReply();
    }

    @Override
    public void shutdown() {}

    @Override
    public ServerStats stats() {
      return new ServerStats() {
        @Override
        public long totalConnectionsReceived() {
          return 0;
        }

        @Override
        public long rejectedConnections() {
          return 0;
        }

        @Override
        public long netInputBytes() {
          return 0;
        }

        @Override
        public long netOutputBytes() {
          return 0;
        }

        @Override
        public int connectedClients() {
          return sessions.size();
        }

        @Override
        public void reset() {}
      };
    }

    @Override
    public int boundPort() {
      return 6379;
    }

    @Override
    public String configFile() {
      return null;
    }

    @Override
    public long startTimeMs() {
      return 0;
    }

    @Override
    public String transport() {
      return "nio";
    }

    @Override
    public String runId() {
      return "0".repeat(40);
    }
  }
}
