package io.kaiware.server;

import io.kaiware.command.ClientSession;
import io.kaiware.command.StandardCommands;
import io.kaiware.command.config.ServerConfig;
import io.kaiware.command.observe.GcPauseListener;
import io.kaiware.server.admin.AdminHttpServer;
import io.kaiware.engine.Keyspace;
import io.kaiware.resp.RespLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Kaiware server: binds its addresses, owns the event loops and the engine, and shuts down
 * cleanly on {@link #close()}, SHUTDOWN or SIGTERM (the CLI installs the hook).
 */
public final class KaiwareServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KaiwareServer.class);

  private final ServerConfig config;
  private final ServerState state;
  private final EventLoopGroup ioGroup;
  private final EventLoopGroup engineGroup;
  private final List<Channel> serverChannels = new ArrayList<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Path pidFile;
  /** The admin HTTP port (admin-port), or null when it is off. */
  private AdminHttpServer admin;
  private GcPauseListener gcPauses;
  private final Keyspace keyspace;

  private KaiwareServer(ServerConfig config, String configFile) {
    this.config = config;
    for (String ignored : config.reportDurability(!config.getBool("non-durable-cache"))) {
      log.warn(ignored);
    }
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory ioFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    int ioThreads = config.getInt("io-threads");
    this.state = new ServerState(config, configFile, InstantSource.system(), epoll ? "epoll" : "nio", this::close);
    java.util.concurrent.atomic.AtomicReference<PollableIoHandler> pollable = new java.util.concurrent.atomic.AtomicReference<>();
    if (ioThreads == 1) {
      // The engine thread polls its own channels from inside a busy script (PollableIoHandler).
      ioFactory = PollableIoHandler.wrap(ioFactory, pollable::set);
    }
    this.ioGroup = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("kaiware-io"), ioFactory);
    EventLoop engineLoop;
    if (ioThreads == 1) {
      // Redis's shape: one thread reads, executes and writes. No hand-off.
      this.engineGroup = null;
      engineLoop = ioGroup.next();
    } else {
      this.engineGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kaiware-engine"),
          LocalIoHandler.newFactory());
      engineLoop = engineGroup.next();
    }
    this.keyspace = new Keyspace(config.getInt("databases"));
    state.attach(new Engine(keyspace, StandardCommands.table(), state), engineLoop, pollable.get());
    String pid = config.get("pidfile");
    this.pidFile = pid.isEmpty() ? null : Path.of(pid);
  }

  /**
   * Starts a server with {@code config}.
   *
   * @param configFile the file the config came from, for CONFIG REWRITE and INFO; may be null
   * @throws StartupException with a message for the operator when the server cannot start
   */
  public static KaiwareServer start(ServerConfig config, String configFile) throws StartupException {
    checkProtectedMode(config);
    KaiwareServer server = new KaiwareServer(config, configFile);
    try {
      server.bind();
      server.startReplication();
      for (Channel ch : server.serverChannels) {
        ch.config().setAutoRead(true);
      }
      server.scheduleBackgroundTasks();
      server.writePidFile();
      server.startObservability();
    } catch (StartupException | RuntimeException e) {
      server.close();
      throw e;
    }
    log.info("{}", server.state.build().describe());
    log.info("Kaiware ready to accept connections on {} port {} ({}, io-threads {})", config.get("bind"), server.port(),
        server.state.transport(), config.get("io-threads"));
    if (!PlatformDependent.hasUnsafe()) {
      // Netty 4.2 turns Unsafe off on Java 25+ unless the JVM allows it; every direct-buffer access
      // then goes through bounds-checked ByteBuffer calls (docs/benchmarks.md, "Netty without Unsafe").
      log.warn("Netty runs without sun.misc.Unsafe ({}): network buffers are slower; start the JVM with "
          + "--sun-misc-unsafe-memory-access=allow (bin/kaiware does)", PlatformDependent.getUnsafeUnavailabilityCause());
    }
    return server;
  }

  /** Protected mode: no password and a non-loopback address means anyone on the network owns the data. */
  static void checkProtectedMode(ServerConfig config) throws StartupException {
    if (!config.getBool("protected-mode") || !config.get("requirepass").isEmpty()) {
      return;
    }
    for (String address : bindAddresses(config)) {
      if (!Addresses.isLoopback(address)) {
        throw new StartupException("refusing to listen on '" + address + "' without a password: protected-mode is on. "
            + "Set a password (--requirepass), bind to a loopback address (--bind 127.0.0.1), "
            + "or, if every client on that network is trusted, start with --protected-mode no.");
      }
    }
  }

  private static List<String> bindAddresses(ServerConfig config) {
    List<String> addresses = new ArrayList<>();
    for (String a : config.get("bind").trim().split("\\s+")) {
      if (!a.isEmpty()) {
        addresses.add(a.equals("*") ? "0.0.0.0" : a.equals("-*") ? "-0.0.0.0" : a);
      }
    }
    return addresses;
  }

  private void bind() throws StartupException {
    Class<? extends ServerChannel> channelClass =
        Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    RespLimits limits = RespLimits.DEFAULTS;
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(ioGroup)
        .channel(channelClass)
        .option(ChannelOption.SO_BACKLOG, config.getInt("tcp-backlog"))
        .option(ChannelOption.SO_REUSEADDR, true)
        // Connections are accepted only once the Raft member is attached (startReplication).
        .option(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // EOF reaches ClientHandler, which sends the replies still waiting for the end of the I/O
        // pass before it closes (Netty would otherwise close at once and drop them).
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.SO_KEEPALIVE, config.getInt("tcp-keepalive") > 0)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new ClientHandler(state, limits.withMaxBulkLengthBytes(config.getLong("proto-max-bulk-len"))));
          }
        });
    int port = config.getInt("port");
    for (String address : bindAddresses(config)) {
      boolean optional = address.startsWith("-");
      String host = optional ? address.substring(1) : address;
      try {
        Channel ch = bootstrap.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        serverChannels.add(ch);
        port = ((InetSocketAddress) ch.localAddress()).getPort();
      } catch (RuntimeException e) {
        if (optional) {
          log.debug("skipping optional bind address {}: {}", host, e.toString());
          continue;
        }
        throw new StartupException("could not listen on " + host + ":" + port + ": " + e.getMessage());
      }
    }
    if (serverChannels.isEmpty()) {
      throw new StartupException("no address to listen on (bind '" + config.get("bind") + "')");
    }
    state.boundPort(port);
  }

  /**
   * Starts the Raft member (unless non-durable-cache): the keyspace is filled from the snapshot and
   * the log, on the engine loop. A one-member group is waited for (it elects itself within about an
   * election timeout) so that the first client finds a ready leader; connections accepted meanwhile
   * are served once it is ready, or get -CLUSTERDOWN.
   */
  private void startReplication() throws StartupException {
    if (config.getBool("non-durable-cache")) {
      log.warn("non-durable-cache: no Raft log; every key is lost when the process stops");
      return;
    }
    String clientHost = bindAddresses(config).stream().map(a -> a.startsWith("-") ? a.substring(1) : a)
        .filter(a -> !a.equals("0.0.0.0") && !a.equals("::")).findFirst().orElse("127.0.0.1");
    String clientAddress = (clientHost.contains(":") ? "[" + clientHost + "]" : clientHost) + ":" + state.boundPort();
    try {
      Files.createDirectories(Path.of(config.get("dir")));
      Replication replication = Replication.start(config, keyspace, state.engine().dispatcher().table(),
          state.engine().dispatcher(), state.engineLoop(), state, clientAddress);
      state.replication(replication);
      replication.awaitReadyIfAlone(30_000);
    } catch (IOException | IllegalArgumentException e) {
      throw new StartupException("could not start the Raft member: " + e.getMessage());
    }
  }

  private void scheduleBackgroundTasks() {
    EventLoop engineLoop = state.engineLoop();
    if (state.replicationOrNull() != null) {
      // Expiry is decided by log time and reclaimed on tick entries (ADR 0004): a wall-clock sweep
      // here could reclaim a key a lagging log time still considers alive.
      engineLoop.scheduleAtFixedRate(this::everySecond, 1, 1, TimeUnit.SECONDS);
      return;
    }
    engineLoop.schedule(new Runnable() {
      @Override
      public void run() {
        if (closing.get()) {
          return;
        }
        state.engine().activeExpire(state.clock().millis());
        engineLoop.schedule(this, 1000 / config.getInt("hz"), TimeUnit.MILLISECONDS);
      }
    }, 1000 / config.getInt("hz"), TimeUnit.MILLISECONDS);
    engineLoop.scheduleAtFixedRate(this::everySecond, 1, 1, TimeUnit.SECONDS);
  }

  private long secondsSinceReplicaPing;

  /** Engine thread, once a second: idle clients, and the replication stream's PING. */
  private void everySecond() {
    closeIdleClients();
    if (++secondsSinceReplicaPing >= config.getLong("repl-ping-replica-period")) {
      secondsSinceReplicaPing = 0;
      state.engine().dispatcher().propagation().ping();
    }
  }

  /** The {@code timeout} setting: clients that sent no command for that many seconds are closed. */
  private void closeIdleClients() {
    long timeoutMs = config.getLong("timeout") * 1000;
    if (timeoutMs <= 0) {
      return;
    }
    long nowMs = state.clock().millis();
    for (ClientSession session : state.clients()) {
      if (!session.replica() && nowMs - session.lastInteractionMs() > timeoutMs) {
        log.debug("closing idle client {}", session.remoteAddress());
        state.kill(session);
      }
    }
  }

  /** GC pauses into LATENCY, and the admin HTTP port when admin-port is set. */
  private void startObservability() throws StartupException {
    gcPauses = GcPauseListener.install(state.engine().dispatcher().latencyMonitor());
    int adminPort = config.getInt("admin-port");
    if (adminPort == 0) {
      return;
    }
    try {
      admin = AdminHttpServer.start(config.get("admin-bind"), adminPort, config.get("admin-token"), new ServerAdminSources(state));
    } catch (IOException | IllegalArgumentException e) {
      throw new StartupException("could not start the admin HTTP port " + config.get("admin-bind") + ":" + adminPort + ": "
          + e.getMessage());
    }
  }

  /** The admin HTTP port actually bound, or -1 when admin-port is 0 (off). */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  private void writePidFile() throws StartupException {
    if (pidFile != null) {
      try {
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
      } catch (IOException e) {
        throw new StartupException("could not write pidfile " + pidFile + ": " + e.getMessage());
      }
    }
  }

  /** The Raft member (for tests and embedding: digests, roles), or null in non-durable-cache mode. */
  public io.kaiware.raft.RaftNode raftNode() {
    Replication r = state.replicationOrNull();
    return r == null ? null : r.node();
  }

  /** The TCP port actually bound. */
  public int port() {
    return state.boundPort();
  }

  /** Blocks until the server has shut down (SHUTDOWN command or {@link #close()}). */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /**
   * Exit status of a member that Ratis closed because it found itself outside the group's
   * configuration. That is final for a member removed with RAFT REMOVE, but not always: a member
   * whose removal never committed (its leader lost the majority first), or one added or re-added
   * whose election timer fired before the configuration holding it reached it, is still wanted by
   * the group. So the process exits non-zero and a supervisor (systemd {@code Restart=on-failure})
   * starts it again with its data: a member the group no longer holds then idles (Ratis runs no
   * election timer for a node outside its own configuration), and one it still holds catches up.
   */
  public static final int EXIT_SHUT_OUT_BY_GROUP = 3;

  /** What the process should exit with once {@link #awaitTermination} returned. */
  public int exitStatus() {
    return state.exitStatus();
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    log.info("Kaiware is shutting down");
    if (admin != null) {
      admin.close();
    }
    if (gcPauses != null) {
      gcPauses.close();
    }
    for (Channel ch : serverChannels) {
      ch.close().syncUninterruptibly();
    }
    for (Channel ch : state.channels()) {
      ch.close();
    }
    state.unfollowMaster(); // stopping a link only closes its socket: safe off the engine loop
    Replication replication = state.replicationOrNull();
    if (replication != null) {
      replication.close();
    }
    ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    if (engineGroup != null) {
      engineGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (pidFile != null) {
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        log.warn("could not remove pidfile {}", pidFile, e);
      }
    }
    log.info("Kaiware is now ready to exit, bye bye...");
    terminated.countDown();
  }

  /** The server could not start; the message says why, for the operator. */
  public static final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
      super(message);
    }
  }
}
