package io.kaiware.dns.jedis;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.dns.connect.KaiwareConnector;
import io.kaiware.dns.connect.LoopbackListener;
import io.kaiware.dns.resolver.FakeDnsServer;
import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.resolver.ResolverConfig;
import io.kaiware.dns.select.AddressPolicy;
import io.kaiware.dns.select.AddressSelector;
import io.kaiware.dns.select.SourceLookup;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;

/** The Jedis adapter with Jedis 8.0.2 against loopback RESP responders and a dead backend. */
@Timeout(60)
class KaiwareJedisSocketFactoryTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private List<LoopbackListener> backends;
  private KaiwareResolver resolver;
  private final JedisClientConfig config = DefaultJedisClientConfig.builder()
      .connectionTimeoutMillis(5_000).socketTimeoutMillis(5_000).build();

  @BeforeEach
  void setUp() throws Exception {
    backends = LoopbackListener.onCommonPort(LoopbackListener.Mode.RESP, "127.0.0.3", "127.0.0.4");
    closeables.addAll(backends);
    // 127.0.0.2 listens on nothing at that port: a dead backend listed first.
    FakeDnsServer dns = new FakeDnsServer("127.0.0.53", FakeDnsServer.Mode.ANSWER)
        .add("cache.test", "127.0.0.2", "127.0.0.3", "127.0.0.4");
    closeables.add(dns);
    resolver = KaiwareResolver.create(ResolverConfig.builder().nameservers(List.of(dns.address()))
        .timeoutMs(1_000).probeIntervalMs(0).build());
    closeables.add(resolver);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) c.close();
  }

  private KaiwareConnector connector(AddressPolicy policy) {
    KaiwareConnector c = KaiwareConnector.builder(resolver)
        .selector(new AddressSelector(policy, SourceLookup.kernel(), 0)).backoffBaseMs(60_000).build();
    closeables.add(c);
    return c;
  }

  @Test
  void jedisConnectsPastADeadBackendAndTalks() throws Exception {
    KaiwareConnector c = connector(AddressPolicy.RFC6724); // DNS order: the dead one first
    HostAndPort hp = new HostAndPort("cache.test", backends.get(0).port());
    try (Jedis jedis = new Jedis(new KaiwareJedisSocketFactory(c, hp, config), config)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      assertThat(jedis.get("foo")).isEqualTo("bar");
    }
    try (java.net.Socket s = new KaiwareJedisSocketFactory(c, hp, config).createSocket()) {
      assertThat(s.getSoTimeout()).isEqualTo(5_000);
      assertThat(s.getTcpNoDelay()).isTrue();
      assertThat(s.getInetAddress().getHostAddress()).isEqualTo("127.0.0.3"); // the dead one is backed off
    }
    assertThat(c.backoff().isBackedOff(new java.net.InetSocketAddress("127.0.0.2", hp.getPort()))).isTrue();
  }

  @Test
  void aJedisPoolSpreadsConnectionsRoundRobin() throws Exception {
    KaiwareConnector c = connector(AddressPolicy.ROUND_ROBIN);
    HostAndPort hp = new HostAndPort("cache.test", backends.get(0).port());
    GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
    poolConfig.setMaxTotal(6);
    try (JedisPool pool = new JedisPool(poolConfig, new KaiwareJedisSocketFactory(c, hp, config), config)) {
      List<Jedis> borrowed = new ArrayList<>();
      for (int i = 0; i < 6; i++) borrowed.add(pool.getResource());
      for (Jedis j : borrowed) assertThat(j.ping()).isEqualTo("PONG");
      for (Jedis j : borrowed) j.close();
    }
    // Round-robin over three addresses, one dead: once the dead one is backed off, the rotation
    // runs over the two live ones (the first connection failed over from the dead one).
    assertThat(backends).extracting(LoopbackListener::accepted).containsExactly(3, 3);
  }
}
