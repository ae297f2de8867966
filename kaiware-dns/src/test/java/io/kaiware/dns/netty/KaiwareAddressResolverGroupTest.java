package io.kaiware.dns.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaiware.dns.connect.LoopbackListener;
import io.kaiware.dns.resolver.FakeDnsServer;
import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.resolver.ResolverConfig;
import io.kaiware.dns.select.AddressPolicy;
import io.kaiware.dns.select.AddressSelector;
import io.kaiware.dns.select.SourceLookup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Lettuce adapter with Lettuce 7.7 against loopback RESP responders, resolving a name that only
 * the fake DNS servers know, with the first of them silent.
 */
@Timeout(60)
class KaiwareAddressResolverGroupTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private List<LoopbackListener> backends;
  private FakeDnsServer dead;
  private FakeDnsServer dns;
  private KaiwareResolver resolver;

  @BeforeEach
  void setUp() throws Exception {
    backends = LoopbackListener.onCommonPort(LoopbackListener.Mode.RESP, "127.0.0.3", "127.0.0.4");
    closeables.addAll(backends);
    dead = new FakeDnsServer("127.0.0.52", FakeDnsServer.Mode.SILENT);
    dns = new FakeDnsServer("127.0.0.53", FakeDnsServer.Mode.ANSWER).add("cache.test", "127.0.0.3", "127.0.0.4");
    closeables.add(dead);
    closeables.add(dns);
    resolver = KaiwareResolver.create(ResolverConfig.builder().nameservers(List.of(dead.address(), dns.address()))
        .timeoutMs(2_000).probeIntervalMs(0).build());
    closeables.add(resolver);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) c.close();
  }

  @Test
  void resolvesEveryAddressInPolicyOrderWithoutBlockingTheCaller() throws Exception {
    KaiwareAddressResolverGroup group = new KaiwareAddressResolverGroup(resolver,
        new AddressSelector(AddressPolicy.ROUND_ROBIN, SourceLookup.kernel(), 0));
    closeables.add(group);
    AddressResolver<InetSocketAddress> r = group.getResolver(ImmediateEventExecutor.INSTANCE);
    List<String> firsts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      InetSocketAddress a = r.resolve(InetSocketAddress.createUnresolved("cache.test", 6379)).get(5, TimeUnit.SECONDS);
      assertThat(a.isUnresolved()).isFalse();
      assertThat(a.getPort()).isEqualTo(6379);
      firsts.add(a.getAddress().getHostAddress());
    }
    assertThat(firsts).containsExactly("127.0.0.3", "127.0.0.4", "127.0.0.3", "127.0.0.4");
    assertThat(r.resolveAll(InetSocketAddress.createUnresolved("cache.test", 1)).get(5, TimeUnit.SECONDS))
        .hasSize(2);
    assertThatThrownBy(() -> r.resolve(InetSocketAddress.createUnresolved("nope.test", 1)).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(java.net.UnknownHostException.class);
  }

  @Test
  void lettuceConnectsThroughItAndSpreadsConnectionsRoundRobin() throws Exception {
    KaiwareAddressResolverGroup group = new KaiwareAddressResolverGroup(resolver,
        new AddressSelector(AddressPolicy.ROUND_ROBIN, SourceLookup.kernel(), 0));
    ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
        .addressResolverGroup(group).build();
    RedisClient client = RedisClient.create(resources,
        RedisURI.builder().withHost("cache.test").withPort(backends.get(0).port()).withTimeout(Duration.ofSeconds(5)).build());
    try {
      for (int i = 0; i < 4; i++) {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          assertThat(c.sync().ping()).isEqualTo("PONG");
          assertThat(c.sync().get("foo")).isEqualTo("bar");
        }
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }
    // "cache.test" exists only in the fake DNS: Lettuce used the group. Two each: round-robin.
    assertThat(backends).extracting(LoopbackListener::accepted).containsExactly(2, 2);
    assertThat(resolver.servers().get(0).demoted()).as("the silent first nameserver was demoted").isTrue();
  }
}
