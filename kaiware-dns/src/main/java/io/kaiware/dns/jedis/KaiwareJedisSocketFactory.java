package io.kaiware.dns.jedis;

import io.kaiware.dns.connect.KaiwareConnector;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A {@link JedisSocketFactory} that connects through {@link KaiwareConnector}: kaiware-dns resolution,
 * the connector's address policy, Happy Eyeballs and per-address backoff. Jedis otherwise resolves
 * with {@code InetAddress} (the JDK resolver, stalled by a dead first nameserver) and tries one
 * address at a time, each for the full connection timeout.
 *
 * <pre>{@code
 * KaiwareConnector connector = KaiwareConnector.builder(KaiwareResolver.system())
 *     .policy(AddressPolicy.ROUND_ROBIN).ownsResolver(true).build();
 * JedisClientConfig config = DefaultJedisClientConfig.builder().build();
 * Jedis jedis = new Jedis(new KaiwareJedisSocketFactory(connector, new HostAndPort("cache.internal", 6379), config), config);
 * JedisPool pool = new JedisPool(poolConfig, new KaiwareJedisSocketFactory(connector, hostAndPort, config), config);
 * }</pre>
 *
 * Socket settings follow Jedis's {@code DefaultJedisSocketFactory}: SO_KEEPALIVE, TCP_NODELAY,
 * SO_LINGER 0, the configured connection timeout (whole connect call) and socket timeout. TLS is
 * not handled here: wrap the returned socket, or use Jedis's own factory for TLS endpoints.
 */
public final class KaiwareJedisSocketFactory implements JedisSocketFactory {
  private final KaiwareConnector connector;
  private final HostAndPort hostAndPort;
  private final JedisClientConfig config;

  public KaiwareJedisSocketFactory(KaiwareConnector connector, HostAndPort hostAndPort, JedisClientConfig config) {
    this.connector = Objects.requireNonNull(connector);
    this.hostAndPort = Objects.requireNonNull(hostAndPort);
    this.config = Objects.requireNonNull(config);
  }

  public KaiwareJedisSocketFactory(KaiwareConnector connector, HostAndPort hostAndPort) {
    this(connector, hostAndPort, DefaultJedisClientConfig.builder().build());
  }

  @Override
  public Socket createSocket() throws JedisConnectionException {
    if (config.isSsl()) throw new JedisConnectionException("KaiwareJedisSocketFactory does not do TLS");
    int timeoutMs = config.getConnectionTimeoutMillis() > 0 ? config.getConnectionTimeoutMillis()
        : connector.connectTimeoutMs();
    Socket socket = null;
    try {
      socket = connector.connectExplained(hostAndPort.getHost(), hostAndPort.getPort(), timeoutMs,
          KaiwareJedisSocketFactory::unconnected).socket();
      socket.setSoTimeout(config.getSocketTimeoutMillis());
      return socket;
    } catch (IOException e) {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // failing anyway
        }
      }
      throw new JedisConnectionException("Failed to connect to " + hostAndPort + " through kaiware-dns", e);
    }
  }

  private static Socket unconnected() {
    Socket s = new Socket();
    try {
      s.setReuseAddress(true);
      s.setKeepAlive(true);
      s.setTcpNoDelay(true);
      s.setSoLinger(true, 0);
    } catch (SocketException e) {
      throw new JedisConnectionException(e);
    }
    return s;
  }

  @Override
  public String toString() {
    return "KaiwareJedisSocketFactory{" + hostAndPort + "}";
  }
}
