package io.kaiware.raft;

import io.kaiware.command.BuildInfo;
import io.kaiware.command.ClientSession;
import io.kaiware.command.ServerHooks;
import io.kaiware.command.config.ServerConfig;
import java.util.Collection;
import java.util.List;

/**
 * The {@link ServerHooks} of a state machine that runs without a network server (tests, the
 * benchmark, an embedded library). Commands that reach server state cannot be replicated anyway
 * (see {@link KaiwareStateMachine#replicable}); the rest only read the configuration.
 */
public final class ReplicaHooks implements ServerHooks {

  private final ServerConfig config;
  private final BuildInfo build = BuildInfo.current();

  public ReplicaHooks() {
    this(ServerConfig.defaults());
  }

  public ReplicaHooks(ServerConfig config) {
    this.config = config;
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
    return List.of();
  }

  @Override
  public void kill(ClientSession session) {}

  @Override
  public void shutdown() {}

  @Override
  public ServerStats stats() {
    return NO_STATS;
  }

  @Override
  public int boundPort() {
    return 0;
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
    return "none";
  }

  @Override
  public String runId() {
    return "0".repeat(40);
  }

  private static final ServerStats NO_STATS = new ServerStats() {
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
      return 0;
    }

    @Override
    public void reset() {}
  };
}
