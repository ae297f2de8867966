package io.kaiware.dns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.dns.resolver.FakeDnsServer.Mode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every scenario of dns-notes.md against fake nameservers on 127.0.0.x (high ports). */
@Timeout(20)
class KaiwareResolverTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) c.close();
  }

  private FakeDnsServer server(String ip, Mode mode) throws Exception {
    FakeDnsServer s = new FakeDnsServer(ip, mode)
        .add("cache.test", "10.0.0.104", "10.0.1.12", "10.0.2.8", "10.0.3.221")
        .add("v4only.test", "192.0.2.10")
        .add("dual.test", "192.0.2.20", "2001:db8::20");
    closeables.add(s);
    return s;
  }

  private static ResolverConfig.Builder fast() {
    return ResolverConfig.builder().timeoutMs(1_000).attempts(2).probeIntervalMs(0).hedgeFloorMs(20)
        .initialRttMs(25).hedgeFactor(4);
  }

  private KaiwareResolver resolver(ResolverConfig.Builder b, InetSocketAddress... servers) {
    KaiwareResolver r = KaiwareResolver.create(b.nameservers(List.of(servers)).build());
    closeables.add(r);
    return r;
  }

  private static long ms(DnsAnswer a) {
    return Duration.ofNanos(a.elapsedNanos()).toMillis();
  }

  private static List<String> ips(DnsAnswer a) {
    return a.addresses().stream().map(InetAddress::getHostAddress).toList();
  }

  @Test
  void firstServerSilentCostsOneHedgeDelayOnceThenNothing() throws Exception {
    FakeDnsServer dead = server("127.0.0.2", Mode.SILENT);
    FakeDnsServer good = server("127.0.0.3", Mode.ANSWER);
    FakeDnsServer good2 = server("127.0.0.4", Mode.ANSWER);
    KaiwareResolver r = resolver(fast(), dead.address(), good.address(), good2.address());

    DnsAnswer first = r.lookup("cache.test", RecordType.A);
    assertThat(first.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(first.server()).isEqualTo(good.address());
    assertThat(ms(first)).isLessThan(600); // one hedge delay (~100 ms), never the 1 s timeout
    assertThat(r.servers().get(0).demoted()).isTrue();

    r.clearCache();
    int deadQueries = dead.udpQueries();
    DnsAnswer second = r.lookup("cache.test", RecordType.A);
    assertThat(second.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(ms(second)).isLessThan(150);
    assertThat(dead.udpQueries()).isEqualTo(deadQueries); // demoted: not asked at all
    assertThat(second.attempts()).hasSize(1);
  }

  @Test
  void middleServerSilent() throws Exception {
    FakeDnsServer a = server("127.0.0.2", Mode.SERVFAIL);
    FakeDnsServer dead = server("127.0.0.3", Mode.SILENT);
    FakeDnsServer c = server("127.0.0.4", Mode.ANSWER);
    KaiwareResolver r = resolver(fast(), a.address(), dead.address(), c.address());
    DnsAnswer ans = r.lookup("cache.test", RecordType.A);
    assertThat(ans.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(ans.server()).isEqualTo(c.address());
    assertThat(ms(ans)).isLessThan(600);
  }

  @Test
  void lastServerSilentIsNeverWaitedFor() throws Exception {
    FakeDnsServer a = server("127.0.0.2", Mode.ANSWER);
    FakeDnsServer b = server("127.0.0.3", Mode.ANSWER);
    FakeDnsServer dead = server("127.0.0.4", Mode.SILENT);
    KaiwareResolver r = resolver(fast(), a.address(), b.address(), dead.address());
    DnsAnswer ans = r.lookup("cache.test", RecordType.A);
    assertThat(ans.server()).isEqualTo(a.address());
    assertThat(ms(ans)).isLessThan(150);
    assertThat(dead.udpQueries()).isZero();
  }

  @Test
  void refusingPortMovesOnAtOnce() throws Exception {
    InetSocketAddress closed = FakeDnsServer.refusing("127.0.0.2");
    FakeDnsServer good = server("127.0.0.3", Mode.ANSWER);
    KaiwareResolver r = resolver(fast().hedgeFloorMs(500), closed, good.address());
    DnsAnswer ans = r.lookup("cache.test", RecordType.A);
    assertThat(ans.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(ans.attempts()).extracting(Attempt::outcome).contains(Outcome.UNREACHABLE);
    assertThat(ms(ans)).isLessThan(300); // did not wait for the 500 ms hedge
  }

  @Test
  void servfailAndRefusedMoveOn() throws Exception {
    FakeDnsServer sf = server("127.0.0.2", Mode.SERVFAIL);
    FakeDnsServer rf = server("127.0.0.3", Mode.REFUSED);
    FakeDnsServer good = server("127.0.0.4", Mode.ANSWER);
    KaiwareResolver r = resolver(fast().hedgeFloorMs(500), sf.address(), rf.address(), good.address());
    DnsAnswer ans = r.lookup("cache.test", RecordType.A);
    assertThat(ans.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(ans.attempts()).extracting(Attempt::outcome)
        .containsSubsequence(Outcome.SERVFAIL, Outcome.REFUSED, Outcome.ANSWER);
    assertThat(ms(ans)).isLessThan(300);
  }

  @Test
  void nodataForAaaaIsFinalEvenWithADeadServerBehind() throws Exception {
    // The Go 1.11 bug (issues 21906, 27525): NODATA sent every AAAA query on to the dead server.
    FakeDnsServer good = server("127.0.0.2", Mode.ANSWER);
    FakeDnsServer dead = server("127.0.0.3", Mode.SILENT);
    KaiwareResolver r = resolver(fast(), good.address(), dead.address());
    DnsAnswer aaaa = r.lookup("v4only.test", RecordType.AAAA);
    assertThat(aaaa.outcome()).isEqualTo(Outcome.NODATA);
    assertThat(ms(aaaa)).isLessThan(150);
    assertThat(r.resolveAll("v4only.test")).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.10");
    assertThat(dead.udpQueries()).isZero();
  }

  @Test
  void nxdomainIsFinalAndNegativelyCached() throws Exception {
    FakeDnsServer a = server("127.0.0.2", Mode.ANSWER);
    FakeDnsServer b = server("127.0.0.3", Mode.ANSWER);
    KaiwareResolver r = resolver(fast(), a.address(), b.address());
    assertThat(r.lookup("nope.test", RecordType.A).outcome()).isEqualTo(Outcome.NXDOMAIN);
    assertThat(r.lookup("nope.test", RecordType.A).source()).isEqualTo(DnsAnswer.Source.CACHE);
    assertThat(a.udpQueries()).isEqualTo(1);
    assertThat(b.udpQueries()).isZero();
  }

  @Test
  void truncatedAnswerIsRetriedOverTcp() throws Exception {
    FakeDnsServer tc = server("127.0.0.2", Mode.TRUNCATE);
    KaiwareResolver r = resolver(fast(), tc.address());
    DnsAnswer ans = r.lookup("cache.test", RecordType.A);
    assertThat(ips(ans)).containsExactly("10.0.0.104", "10.0.1.12", "10.0.2.8", "10.0.3.221");
    assertThat(ans.attempts().get(0).overTcp()).isTrue();
    assertThat(tc.tcpQueries()).isEqualTo(1);
  }

  @Test
  void useVcQueriesOverTcpOnly() throws Exception {
    FakeDnsServer s = server("127.0.0.2", Mode.ANSWER);
    KaiwareResolver r = resolver(fast().useVc(true), s.address());
    assertThat(r.lookup("cache.test", RecordType.A).outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(s.udpQueries()).isZero();
    assertThat(s.tcpQueries()).isEqualTo(1);
  }

  @Test
  void everyServerDeadHonoursTheDeadlineAndServesStale() throws Exception {
    FakeDnsServer a = server("127.0.0.2", Mode.ANSWER).ttl(0);
    FakeDnsServer b = server("127.0.0.3", Mode.ANSWER).ttl(0);
    KaiwareResolver r = resolver(fast().lookupDeadlineMs(800), a.address(), b.address());
    DnsAnswer fresh = r.lookup("cache.test", RecordType.A);
    assertThat(fresh.source()).as(fresh.toString()).isEqualTo(DnsAnswer.Source.NETWORK);

    a.mode(Mode.SILENT);
    b.mode(Mode.SILENT);
    DnsAnswer stale = r.lookup("cache.test", RecordType.A);
    assertThat(stale.source()).isEqualTo(DnsAnswer.Source.STALE_CACHE);
    assertThat(ips(stale)).hasSize(4);
    assertThat(r.staleAnswersServed()).isEqualTo(1);
    assertThat(ms(stale)).isBetween(790L, 1500L);

    DnsAnswer none = r.lookup("dual.test", RecordType.A);
    assertThat(none.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(none.source()).isEqualTo(DnsAnswer.Source.NONE);
    assertThat(ms(none)).isBetween(790L, 1500L);
  }

  @Test
  void roundRobinAnswersArePassedThroughAsReceived() throws Exception {
    FakeDnsServer s = server("127.0.0.2", Mode.ROTATE).ttl(0);
    KaiwareResolver r = resolver(fast().staleMaxSeconds(0), s.address());
    List<String> firsts = new ArrayList<>();
    for (int i = 0; i < 4; i++) firsts.add(ips(r.lookup("cache.test", RecordType.A)).get(0));
    assertThat(firsts).containsExactly("10.0.0.104", "10.0.1.12", "10.0.2.8", "10.0.3.221");
  }

  @Test
  void positiveAnswersAreCachedForTheirTtl() throws Exception {
    FakeDnsServer s = server("127.0.0.2", Mode.ANSWER).ttl(60);
    KaiwareResolver r = resolver(fast(), s.address());
    r.lookup("cache.test", RecordType.A);
    DnsAnswer again = r.lookup("cache.test", RecordType.A);
    assertThat(again.source()).isEqualTo(DnsAnswer.Source.CACHE);
    assertThat(s.udpQueries()).isEqualTo(1);
    assertThat(r.cacheHits()).isEqualTo(1);
  }

  @Test
  void aAndAaaaAreIndependent() throws Exception {
    FakeDnsServer s = server("127.0.0.2", Mode.ANSWER);
    KaiwareResolver r = resolver(fast(), s.address());
    assertThat(r.resolveAll("dual.test")).extracting(InetAddress::getHostAddress)
        .containsExactly("2001:db8:0:0:0:0:0:20", "192.0.2.20");
    assertThat(r.resolveAll("dual.test", true, false)).extracting(InetAddress::getHostAddress)
        .containsExactly("192.0.2.20");
  }

  @Test
  void searchSuffixesAndNdots() throws Exception {
    FakeDnsServer s = server("127.0.0.2", Mode.ANSWER);
    KaiwareResolver r = resolver(fast().search(List.of("test")).ndots(1), s.address());
    DnsAnswer a = r.lookup("cache", RecordType.A);
    assertThat(a.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(a.answeredName()).isEqualTo("cache.test.");
    assertThat(KaiwareResolver.candidates("a.b", r.config())).containsExactly("a.b.", "a.b.test.");
    assertThat(KaiwareResolver.candidates("a", r.config())).containsExactly("a.test.", "a.");
  }

  @Test
  void resolvConfChangedWhileRunningIsReloaded(@TempDir Path dir) throws Exception {
    FakeDnsServer a = new FakeDnsServer("127.0.0.2", Mode.ANSWER).add("svc.test", "10.9.0.1");
    FakeDnsServer b = new FakeDnsServer("127.0.0.3", Mode.ANSWER).add("svc.test", "10.9.0.2");
    closeables.add(a);
    closeables.add(b);
    Path conf = dir.resolve("resolv.conf");
    Files.writeString(conf, "# test\n" + a.nameserverLine() + "options timeout:1 attempts:1 ndots:2\n");
    KaiwareResolver r = KaiwareResolver.fromResolvConf(conf, fast());
    closeables.add(r);
    assertThat(r.config().timeoutMs()).isEqualTo(1000);
    assertThat(r.config().ndots()).isEqualTo(2);
    assertThat(ips(r.lookup("svc.test.", RecordType.A))).containsExactly("10.9.0.1");

    Files.writeString(conf, b.nameserverLine() + "search test\noptions rotate\n");
    Files.setLastModifiedTime(conf, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    r.checkResolvConfNow();
    r.clearCache();
    assertThat(ips(r.lookup("svc.test.", RecordType.A))).containsExactly("10.9.0.2");
    assertThat(r.config().rotate()).isTrue();
    assertThat(r.config().search()).containsExactly("test");
  }

  @Test
  void demotedServerIsProbedAndRestored() throws Exception {
    FakeDnsServer flaky = server("127.0.0.2", Mode.SILENT);
    FakeDnsServer good = server("127.0.0.3", Mode.ANSWER);
    KaiwareResolver r = resolver(fast().probeIntervalMs(100).timeoutMs(300), flaky.address(), good.address());
    r.lookup("cache.test", RecordType.A);
    assertThat(r.servers().get(0).demoted()).isTrue();
    flaky.mode(Mode.ANSWER);
    long until = System.nanoTime() + 5_000_000_000L;
    while (r.servers().get(0).demoted() && System.nanoTime() < until) Thread.sleep(20);
    assertThat(r.servers().get(0).demoted()).isFalse();
    r.clearCache();
    assertThat(r.lookup("cache.test", RecordType.A).server()).isEqualTo(flaky.address());
  }

  @Test
  void rotateSpreadsQueriesOverHealthyServers() throws Exception {
    FakeDnsServer a = server("127.0.0.2", Mode.ANSWER).ttl(0);
    FakeDnsServer b = server("127.0.0.3", Mode.ANSWER).ttl(0);
    KaiwareResolver r = resolver(fast().rotate(true).staleMaxSeconds(0), a.address(), b.address());
    for (int i = 0; i < 10; i++) r.lookup("cache.test", RecordType.A);
    assertThat(a.udpQueries()).isEqualTo(5);
    assertThat(b.udpQueries()).isEqualTo(5);
  }

  @Test
  void literalsNeverTouchTheNetwork() throws Exception {
    FakeDnsServer s = server("127.0.0.2", Mode.ANSWER);
    KaiwareResolver r = resolver(fast(), s.address());
    assertThat(r.resolveAll("10.1.2.3")).extracting(InetAddress::getHostAddress).containsExactly("10.1.2.3");
    assertThat(s.udpQueries()).isZero();
  }
  @Test
  void attemptsRepeatTheServerListAfterEachTimeout() throws Exception {
    FakeDnsServer dead = server("127.0.0.2", Mode.SILENT);
    KaiwareResolver r = resolver(fast().timeoutMs(200).attempts(3).lookupDeadlineMs(5_000), dead.address());
    DnsAnswer a = r.lookup("cache.test.", RecordType.A);
    assertThat(a.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(dead.udpQueries()).isEqualTo(3);
    assertThat(a.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.TIMEOUT, Outcome.TIMEOUT, Outcome.TIMEOUT);
    assertThat(ms(a)).isBetween(590L, 2_000L);

    FakeDnsServer dead1 = server("127.0.0.3", Mode.SILENT);
    KaiwareResolver once = resolver(fast().timeoutMs(200).attempts(1).lookupDeadlineMs(5_000), dead1.address());
    assertThat(once.lookup("cache.test.", RecordType.A).attempts()).hasSize(1);
    assertThat(dead1.udpQueries()).isEqualTo(1);
  }

  @Test
  void singleRequestStillAnswersBothFamilies() throws Exception {
    FakeDnsServer s = server("127.0.0.2", Mode.ANSWER);
    KaiwareResolver r = resolver(fast().singleRequest(true), s.address());
    assertThat(r.resolveAll("dual.test")).extracting(InetAddress::getHostAddress)
        .containsExactly("2001:db8:0:0:0:0:0:20", "192.0.2.20");
    assertThat(s.udpQueries()).isEqualTo(2);
  }
}
