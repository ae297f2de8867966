package io.kaiware.server;

import io.kaiware.command.BuildInfo;
import io.kaiware.command.ClientSession;
import io.kaiware.command.ServerHooks;
import io.kaiware.command.config.ServerConfig;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The server as commands see it ({@link ServerHooks}) and as connections see it (registry, stats). */
final class ServerState implements ServerHooks {

  private final ServerConfig config;
  private final String configFile;
  private final BuildInfo build = BuildInfo.current();
  private final String runId = randomHex(40);
  private final long startTimeMs = System.currentTimeMillis();
  private final InstantSource clock;
  private final Map<Long, ClientSession> sessions = new ConcurrentSkipListMap<>();
  private final Map<ClientSession, Channel> channels = new ConcurrentHashMap<>();
  private final Stats stats = new Stats();
  private final String transport;
  private final Runnable shutdownAction;
  private volatile Engine engine;
  private volatile EventLoop engineLoop;
  private volatile int boundPort;
  /** The Raft group, or null in non-durable cache mode. */
  private volatile Replication replication;
  /** Clients parked on a blocking pop (engine loop). */
  private final BlockedClients blockedClients = new BlockedClients(this);

  ServerState(ServerConfig config, String configFile, InstantSource clock, String transport, Runnable shutdownAction) {
    this.config = config;
    this.configFile = configFile;
    this.clock = clock;
    this.transport = transport;
    this.shutdownAction = shutdownAction;
    replicaOutputLimitBytes = config.getLong("replica-output-buffer-limit");
    config.onChange("replica-output-buffer-limit", p -> replicaOutputLimitBytes = config.getLong("replica-output-buffer-limit"));
  }

  /** replica-output-buffer-limit, kept here: every write sent to a replica checks it. */
  private volatile long replicaOutputLimitBytes;

  /** The engine loop's I/O handler when the engine thread is the event loop (io-threads 1), else null. */
  private volatile PollableIoHandler engineIo;

  void attach(Engine engine, EventLoop engineLoop, PollableIoHandler engineIo) {
    this.engine = engine;
    this.engineLoop = engineLoop;
    this.engineIo = engineIo;
  }

  /** Whether a script running from a task of the engine loop can serve the other clients (io-threads 1). */
  boolean servesClientsWhileBusy() {
    return engineIo != null;
  }

  @Override
  public void discardStateOnExit() {
    Replication r = replication;
    if (r != null) {
      r.node().stateMachine().discardStateOnExit();
    }
  }

  @Override
  public boolean insideIoPass() {
    return engineIo != null && engineLoop.inEventLoop() && engineIo.inIoPass();
  }

  /** Defers {@code channel}'s flush to the end of the engine loop's I/O pass; false when not inside one. */
  boolean flushAfterIoPass(Channel channel) {
    return engineIo != null && engineIo.flushAfterPass(channel);
  }

  @Override
  public void serveClientsWhileBusy() {
    if (engineIo != null && engineLoop.inEventLoop()) {
      engineIo.pollNow();
    }
  }

  @Override
  public void reloadDataset(io.kaiware.engine.Keyspace keyspace, long cutTimeMs) throws java.io.IOException {
    io.kaiware.raft.SnapshotCodec.Cut cut = io.kaiware.raft.SnapshotCodec.cut(keyspace, 0, 0, cutTimeMs);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    io.kaiware.raft.SnapshotCodec.write(cut, out);
    io.kaiware.raft.SnapshotCodec.read(out.toByteArray(), keyspace);
  }

  void replication(Replication replication) {
    this.replication = replication;
  }

  /** The server's Raft side, or null in non-durable cache mode. */
  Replication replicationOrNull() {
    return replication;
  }

  @Override
  public io.kaiware.command.replication.ReplicationView replication() {
    return replication;
  }

  Engine engine() {
    return engine;
  }

  BlockedClients blockedClients() {
    return blockedClients;
  }

  @Override
  public int blockedClientCount() {
    return blockedClients.count();
  }

  @Override
  public boolean unblock(long clientId, boolean error) {
    return blockedClients.unblock(clientId, error);
  }

  EventLoop engineLoop() {
    return engineLoop;
  }

  /** The link to the Redis master this server follows (REPLICAOF host port), or null. Engine loop. */
  private MasterLink masterLink;

  @Override
  public String followMaster(io.kaiware.command.replication.ReplicaRole role) {
    Replication r = replication;
    if (r != null && !r.node().isLeader()) {
      String leader = r.node().leaderAddress();
      return "ERR REPLICAOF host port must be sent to the Raft leader" + (leader == null ? "" : " (" + leader + ")")
          + ": it follows the master and the group follows it through the log";
    }
    unfollowMaster();
    masterLink = new MasterLink(this, role);
    masterLink.start();
    return null;
  }

  @Override
  public void unfollowMaster() {
    if (masterLink != null) {
      masterLink.stop();
      masterLink = null;
    }
  }

  /** goodReplicaCount's last answer, reused for 100 ms (Redis refreshes its count once a second). */
  private int goodReplicas;
  private long goodReplicasAtNs;
  private long goodReplicasLagMs = -1;

  @Override
  public int goodReplicaCount(long maxLagMs) {
    long nowNs = System.nanoTime();
    if (maxLagMs != goodReplicasLagMs || nowNs - goodReplicasAtNs > 100_000_000L) {
      goodReplicas = countGoodReplicas(maxLagMs); // not per write: Ratis's role report and every client
      goodReplicasAtNs = nowNs;
      goodReplicasLagMs = maxLagMs;
    }
    return goodReplicas;
  }

  private int countGoodReplicas(long maxLagMs) {
    int good = 0;
    Replication r = replication;
    if (r != null) {
      good += r.node().followersHeardWithin(maxLagMs);
    }
    long now = System.currentTimeMillis();
    for (ClientSession session : sessions.values()) {
      if (session.replica() && now - session.replicaAckMs() <= maxLagMs) {
        good++;
      }
    }
    return good;
  }

  InstantSource clock() {
    return clock;
  }

  void boundPort(int port) {
    this.boundPort = port;
  }

  boolean passwordRequired() {
    return !config.get("requirepass").isEmpty();
  }

  /** Adds a connection; false when maxclients is reached (the caller rejects it). */
  boolean register(ClientSession session, Channel channel) {
    stats.connectionsReceived.increment();
    if (stats.connected.incrementAndGet() > config.getInt("maxclients")) {
      stats.connected.decrementAndGet();
      stats.rejected.increment();
      return false;
    }
    sessions.put(session.id(), session);
    channels.put(session, channel);
    return true;
  }

  void unregister(ClientSession session) {
    if (sessions.remove(session.id()) != null) {
      stats.connected.decrementAndGet();
    }
    channels.remove(session);
  }

  @Override
  public BuildInfo build() {
    return build;
  }

  @Override
  public ServerConfig config() {
    return config;
  }

  @Override
  public Collection<ClientSession> clients() {
    return new ArrayList<>(sessions.values());
  }

  @Override
  public void kill(ClientSession session) {
    Channel ch = channels.get(session);
    if (ch != null) {
      ch.close();
    }
  }

  /** The process's exit status once the server has stopped (see {@link #shutdownShutOutByGroup}). */
  private volatile int exitStatus;

  /** What {@code kaiware server} exits with: 0, or {@link KaiwareServer#EXIT_SHUT_OUT_BY_GROUP}. */
  int exitStatus() {
    return exitStatus;
  }

  /**
   * Stops the server because Ratis closed this member's division: it found itself outside the
   * group's configuration. The process then exits non-zero, so that a supervisor restarts it (see
   * {@link KaiwareServer#EXIT_SHUT_OUT_BY_GROUP}).
   */
  void shutdownShutOutByGroup() {
    exitStatus = KaiwareServer.EXIT_SHUT_OUT_BY_GROUP;
    shutdown();
  }

  @Override
  public void shutdown() {
    Thread t = new Thread(shutdownAction, "kaiware-shutdown");
    t.setDaemon(false);
    t.start();
  }

  @Override
  public Stats stats() {
    return stats;
  }

  @Override
  public int boundPort() {
    return boundPort;
  }

  @Override
  public String configFile() {
    return configFile;
  }

  @Override
  public long startTimeMs() {
    return startTimeMs;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String transport() {
    return transport;
  }

  /**
   * PUBLISH and +switch-master: pushes the message to every subscriber of {@code channel} and to
   * every pattern subscriber whose pattern matches it (one message per match, as Redis does); the
   * number of messages sent. Engine thread.
   */
  @Override
  public int publish(String channel, byte[] message) {
    int receivers = 0;
    byte[] channelBytes = channel.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    for (ClientSession s : sessions.values()) {
      if (s.subscriptionCount() == 0) {
        continue;
      }
      Channel ch = channels.get(s);
      if (ch == null || !ch.isActive()) {
        continue;
      }
      io.netty.buffer.ByteBuf buf = null;
      if (s.subscriptions().contains(channel)) {
        buf = ch.alloc().buffer(32 + channel.length() + message.length);
        io.kaiware.command.pubsub.PubSubCommands.message(new io.kaiware.resp.RespWriter(buf, s.protocol()), channel, message);
        receivers++;
      }
      for (String pattern : s.patterns()) {
        if (io.kaiware.engine.GlobMatcher.matches(pattern.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), channelBytes, false)) {
          if (buf == null) {
            buf = ch.alloc().buffer(48 + pattern.length() + channel.length() + message.length);
          }
          io.kaiware.command.pubsub.PubSubCommands.pmessage(new io.kaiware.resp.RespWriter(buf, s.protocol()), pattern, channel,
              message);
          receivers++;
        }
      }
      if (buf == null) {
        continue;
      }
      stats.addOutput(buf.readableBytes());
      ch.writeAndFlush(buf, ch.voidPromise());
    }
    return receivers;
  }

  @Override
  public boolean isBlocked(long clientId) {
    return blockedClients.isParked(clientId);
  }

  @Override
  public void onEngineThread(Runnable task) {
    engineLoop.execute(task);
  }

  @Override
  public io.kaiware.command.Propagation.Sink replicaSink(ClientSession session) {
    Channel ch = channels.get(session);
    if (ch == null) {
      return null;
    }
    return new io.kaiware.command.Propagation.Sink() {
      /** The copy's bytes: not part of the stream the limit bounds (Redis sends its RDB apart). */
      private long copyBytes;

      @Override
      public void sendCopy(byte[] bytes) {
        copyBytes += bytes.length;
        write(bytes);
      }

      @Override
      public void send(byte[] bytes) {
        if (!ch.isActive()) {
          return;
        }
        io.netty.channel.ChannelOutboundBuffer unsent = ch.unsafe().outboundBuffer();
        long limit = replicaOutputLimitBytes;
        if (limit > 0 && unsent != null && unsent.totalPendingWriteBytes() + bytes.length > limit + copyBytes) {
          // Redis's client-output-buffer-limit for replicas: a replica that stopped reading must not
          // hold the member's memory; it reconnects and gets a new copy.
          org.slf4j.LoggerFactory.getLogger(ServerState.class).warn(
              "replica {} disconnected: {} bytes of its stream unsent (replica-output-buffer-limit {})",
              session.remoteAddress(), unsent.totalPendingWriteBytes(), limit);
          ch.close();
          return;
        }
        write(bytes);
      }

      private void write(byte[] bytes) {
        stats.addOutput(bytes.length);
        ch.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(bytes), ch.voidPromise());
      }

      @Override
      public boolean open() {
        return ch.isActive();
      }
    };
  }

  /** SPUBLISH: pushes {@code smessage} to every subscriber of shard channel {@code channel}. Engine thread. */
  @Override
  public int publishShard(String channel, byte[] message) {
    int receivers = 0;
    for (ClientSession s : sessions.values()) {
      if (!s.shardSubscriptions().contains(channel)) {
        continue;
      }
      Channel ch = channels.get(s);
      if (ch == null || !ch.isActive()) {
        continue;
      }
      io.netty.buffer.ByteBuf buf = ch.alloc().buffer(32 + channel.length() + message.length);
      io.kaiware.command.pubsub.PubSubCommands.smessage(new io.kaiware.resp.RespWriter(buf, s.protocol()), channel, message);
      receivers++;
      stats.addOutput(buf.readableBytes());
      ch.writeAndFlush(buf, ch.voidPromise());
    }
    return receivers;
  }

  List<Channel> channels() {
    return new ArrayList<>(channels.values());
  }

  private static String randomHex(int digits) {
    StringBuilder sb = new StringBuilder(digits);
    java.security.SecureRandom random = new java.security.SecureRandom();
    for (int i = 0; i < digits; i++) {
      sb.append(Character.forDigit(random.nextInt(16), 16));
    }
    return sb.toString();
  }

  /** Counters updated by I/O threads: contention-free adders. */
  static final class Stats implements ServerStats {
    final LongAdder connectionsReceived = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder inputBytes = new LongAdder();
    final LongAdder outputBytes = new LongAdder();
    final AtomicInteger connected = new AtomicInteger();

    void addInput(long bytes) {
      inputBytes.add(bytes);
    }

    void addOutput(long bytes) {
      outputBytes.add(bytes);
    }

    @Override
    public long totalConnectionsReceived() {
      return connectionsReceived.sum();
    }

    @Override
    public long rejectedConnections() {
      return rejected.sum();
    }

    @Override
    public long netInputBytes() {
      return inputBytes.sum();
    }

    @Override
    public long netOutputBytes() {
      return outputBytes.sum();
    }

    @Override
    public int connectedClients() {
      return connected.get();
    }

    @Override
    public void reset() {
      connectionsReceived.reset();
      rejected.reset();
      inputBytes.reset();
      outputBytes.reset();
    }
  }
}
