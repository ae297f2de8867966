package io.kaiware.dns.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaiware.dns.connect.ConnectAttempt.Outcome;
import io.kaiware.dns.connect.LoopbackListener.Mode;
import io.kaiware.dns.resolver.FakeDnsServer;
import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.resolver.ResolverConfig;
import io.kaiware.dns.select.AddressPolicy;
import io.kaiware.dns.select.AddressSelector;
import io.kaiware.dns.select.SourceLookup;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Happy Eyeballs and per-address backoff against real loopback listeners, a dead port and a silent one. */
@Timeout(30)
class KaiwareConnectorTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) c.close();
  }

  private <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  /** A connector whose resolver asks one fake server that maps {@code name} to {@code addresses}. */
  private KaiwareConnector connector(String name, int attemptDelayMs, String... addresses) throws Exception {
    FakeDnsServer dns = track(new FakeDnsServer("127.0.0.53", FakeDnsServer.Mode.ANSWER).add(name, addresses));
    KaiwareResolver resolver = track(KaiwareResolver.create(ResolverConfig.builder()
        .nameservers(List.of(dns.address())).timeoutMs(1_000).probeIntervalMs(0).build()));
    // The plain rfc6724 policy keeps the DNS order of IPv4 loopback addresses: the tests choose it.
    return track(KaiwareConnector.builder(resolver)
        .selector(new AddressSelector(AddressPolicy.RFC6724, SourceLookup.kernel(), 1))
        .attemptDelayMs(attemptDelayMs).connectTimeoutMs(5_000).backoffBaseMs(60_000).backoffMaxMs(60_000)
        .build());
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000L;
  }

  @Test
  void deadPortFailsOverAtOnceAndIsBackedOff() throws Exception {
    LoopbackListener live = track(new LoopbackListener("127.0.0.3", 0, Mode.ACCEPT));
    // Nothing listens on 127.0.0.2 at that port: the kernel answers RST at once.
    KaiwareConnector c = connector("svc.test", 2_000, "127.0.0.2", "127.0.0.3");
    long start = System.nanoTime();
    KaiwareConnector.Connection conn = c.connectExplained("svc.test", live.port(), 5_000, Socket::new);
    long elapsedMs = ms(System.nanoTime() - start);
    try (Socket s = conn.socket()) {
      assertThat(s.getInetAddress().getHostAddress()).isEqualTo("127.0.0.3");
    }
    assertThat(conn.attempts()).extracting(ConnectAttempt::outcome).containsExactly(Outcome.FAILED, Outcome.CONNECTED);
    assertThat(elapsedMs).as("did not wait for the 2 s attempt delay").isLessThan(1_500);

    InetSocketAddress dead = new InetSocketAddress("127.0.0.2", live.port());
    assertThat(c.backoff().isBackedOff(dead)).isTrue();
    assertThat(c.plan("svc.test", live.port())).extracting(a -> a.getAddress().getHostAddress())
        .containsExactly("127.0.0.3", "127.0.0.2");
    KaiwareConnector.Connection again = c.connectExplained("svc.test", live.port(), 5_000, Socket::new);
    again.socket().close();
    assertThat(again.attempts()).hasSize(1).first().extracting(ConnectAttempt::outcome).isEqualTo(Outcome.CONNECTED);
  }

  @Test
  void silentAddressCostsOneAttemptDelayThenNothing() throws Exception {
    LoopbackListener live = track(new LoopbackListener("127.0.0.3", 0, Mode.ACCEPT));
    LoopbackListener silent = track(new LoopbackListener("127.0.0.2", live.port(), Mode.SILENT));
    KaiwareConnector c = connector("svc.test", 150, "127.0.0.2", "127.0.0.3");

    KaiwareConnector.Connection conn = c.connectExplained("svc.test", live.port(), 5_000, Socket::new);
    conn.socket().close();
    ConnectAttempt won = conn.attempts().stream().filter(a -> a.outcome() == Outcome.CONNECTED).findFirst().orElseThrow();
    assertThat(won.address().getAddress().getHostAddress()).isEqualTo("127.0.0.3");
    // The second address was dialled after one attempt delay, not after a connect timeout.
    assertThat(ms(won.startedAfterNanos())).isBetween(140L, 1_000L);
    assertThat(conn.attempts()).extracting(ConnectAttempt::outcome).contains(Outcome.ABANDONED);
    assertThat(c.backoff().isBackedOff(silent.address())).isTrue();

    KaiwareConnector.Connection again = c.connectExplained("svc.test", live.port(), 5_000, Socket::new);
    again.socket().close();
    assertThat(again.attempts()).hasSize(1);
    assertThat(ms(again.attempts().get(0).startedAfterNanos())).isLessThan(50);
  }

  @Test
  void everyAddressRefusingFailsFastWithEveryCause() throws Exception {
    int port;
    try (LoopbackListener probe = new LoopbackListener("127.0.0.3", 0, Mode.ACCEPT)) {
      port = probe.port();
    }
    KaiwareConnector c = connector("svc.test", 1_000, "127.0.0.2", "127.0.0.3");
    long start = System.nanoTime();
    assertThatThrownBy(() -> c.connect("svc.test", port)).isInstanceOf(ConnectException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    assertThat(ms(System.nanoTime() - start)).isLessThan(900);
  }

  @Test
  void onlySilentAddressesHonourTheDeadline() throws Exception {
    LoopbackListener silent = track(new LoopbackListener("127.0.0.2", 0, Mode.SILENT));
    KaiwareConnector c = connector("svc.test", 100, "127.0.0.2");
    long start = System.nanoTime();
    assertThatThrownBy(() -> c.connect("svc.test", silent.port(), 400)).isInstanceOf(SocketTimeoutException.class);
    assertThat(ms(System.nanoTime() - start)).isBetween(390L, 2_000L);
    assertThat(c.backoff().isBackedOff(silent.address())).isTrue();
  }

  @Test
  void unknownNameIsUnknownHost() throws Exception {
    KaiwareConnector c = connector("svc.test", 100, "127.0.0.2");
    assertThatThrownBy(() -> c.connect("nope.test", 1)).isInstanceOf(java.net.UnknownHostException.class);
  }

  @Test
  void familiesAreInterleavedAfterTheFirstAddress() throws Exception {
    List<InetAddress> in = List.of(InetAddress.getByName("2001:db8::1"), InetAddress.getByName("2001:db8::2"),
        InetAddress.getByName("2001:db8::3"), InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2"));
    assertThat(KaiwareConnector.interleaveFamilies(in)).extracting(InetAddress::getHostAddress).containsExactly(
        "2001:db8:0:0:0:0:0:1", "192.0.2.1", "2001:db8:0:0:0:0:0:2", "192.0.2.2", "2001:db8:0:0:0:0:0:3");
  }
}
