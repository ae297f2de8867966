package io.kaiware.dns.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.dns.connect.LoopbackListener.Mode;
import io.kaiware.dns.resolver.FakeDnsServer;
import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.resolver.ResolverConfig;
import io.kaiware.dns.select.AddressPolicy;
import io.kaiware.dns.select.AddressSelector;
import io.kaiware.dns.select.SourceLookup;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The distribution test: 1,000 real TCP connections to a name with four addresses, through
 * a fake round-robin DNS server (it rotates its answer on every query, TTL 0 so every connection
 * resolves again) and the connector, counted by four loopback listeners.
 *
 * <p>The backends mirror incident 2: 127.0.1.10, 127.0.0.2, 127.0.2.10, 127.0.3.10, dialled from the
 * kernel's source for 127/8, 127.0.0.1, which shares 30 leading bits with 127.0.0.2 and 22-23 with
 * the others. Strict RFC 6724 Rule 9 therefore sends every connection to 127.0.0.2.
 */
@Timeout(60)
class ConnectionDistributionTest {
  private static final String[] BACKENDS = {"127.0.1.10", "127.0.0.2", "127.0.2.10", "127.0.3.10"};
  private static final int CONNECTIONS = 1_000;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private List<LoopbackListener> listeners;
  private KaiwareResolver resolver;

  @BeforeEach
  void setUp() throws Exception {
    listeners = LoopbackListener.onCommonPort(Mode.ACCEPT, BACKENDS);
    closeables.addAll(listeners);
    FakeDnsServer dns = new FakeDnsServer("127.0.0.53", FakeDnsServer.Mode.ROTATE).ttl(0).add("cache.test", BACKENDS);
    closeables.add(dns);
    resolver = KaiwareResolver.create(ResolverConfig.builder().nameservers(List.of(dns.address()))
        .timeoutMs(1_000).probeIntervalMs(0).staleMaxSeconds(0).build());
    closeables.add(resolver);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) c.close();
  }

  /** Connections accepted per backend after {@link #CONNECTIONS} connects under {@code policy}. */
  private Map<String, Integer> connectMany(AddressPolicy policy, long seed) throws Exception {
    int port = listeners.get(0).port();
    try (KaiwareConnector c = KaiwareConnector.builder(resolver)
        .selector(new AddressSelector(policy, SourceLookup.kernel(), seed)).build()) {
      for (int i = 0; i < CONNECTIONS; i++) {
        try (Socket s = c.connect("cache.test", port, 5_000)) {
          assertThat(s.isConnected()).isTrue();
        }
      }
    }
    // Wait for the listeners to have accepted every connection (they count on accept).
    long until = System.nanoTime() + 10_000_000_000L;
    while (listeners.stream().mapToInt(LoopbackListener::accepted).sum() < CONNECTIONS && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (LoopbackListener l : listeners) counts.put(l.address().getAddress().getHostAddress(), l.accepted());
    assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).as(counts.toString()).isEqualTo(CONNECTIONS);
    return counts;
  }

  @Test
  void roundRobinLandsEvenlyWithinOne() throws Exception {
    Map<String, Integer> counts = connectMany(AddressPolicy.ROUND_ROBIN, 0);
    assertThat(counts.values()).as(counts.toString()).allSatisfy(n -> assertThat(n).isBetween(249, 251));
  }

  @Test
  void seededRandomLandsWithinFifteenPercentOfEven() throws Exception {
    Map<String, Integer> counts = connectMany(AddressPolicy.RANDOM, 7);
    assertThat(counts.values()).as(counts.toString()).allSatisfy(n -> assertThat(n).isBetween(213, 287));
  }

  @Test
  void strictRfc6724FromASameSubnetSourcePinsEveryConnectionToOneBackend() throws Exception {
    assertThat(SourceLookup.kernel().source(java.net.InetAddress.getByName("127.0.1.10")))
        .map(java.net.InetAddress::getHostAddress).contains("127.0.0.1");
    Map<String, Integer> counts = connectMany(AddressPolicy.RFC6724_STRICT, 0);
    assertThat(counts).as(counts.toString()).containsEntry("127.0.0.2", CONNECTIONS);
  }
}
