package io.kaiware.dns.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test vectors of dns-notes.md (RFC 6724 section 10.2, incident 2, Go's addrselect_test). */
class Rfc6724Test {
  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s); // literals only: no DNS
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static List<InetAddress> ips(String... s) {
    return Arrays.stream(s).map(Rfc6724Test::ip).toList();
  }

  private static final List<InetAddress> BACKENDS = ips("10.0.0.104", "10.0.1.12", "10.0.2.8", "10.0.3.221");

  private static List<Integer> rule9Scores(String src) {
    return BACKENDS.stream().map(d -> Rfc6724.commonPrefixLen(ip(src), d)).toList();
  }

  @Test
  void rule9ScoresOfTheIncident() {
    assertThat(rule9Scores("10.0.1.3")).containsExactly(23, 28, 22, 22);
    assertThat(rule9Scores("10.0.1.199")).containsExactly(23, 24, 22, 22);
    assertThat(rule9Scores("10.0.4.211")).containsExactly(21, 21, 21, 21);
    assertThat(rule9Scores("123.4.5.6")).containsExactly(1, 1, 1, 1);
  }

  private static List<InetAddress> sorted(List<InetAddress> dst, SourceLookup src, Rfc6724.Rule9 r9) {
    return Rfc6724.sort(dst, src, r9).stream().map(Rfc6724.Ranked::address).toList();
  }

  @Test
  void strictRule9PinsEveryClientOfTheSubnetToOneBackend() {
    for (String src : List.of("10.0.1.3", "10.0.1.199", "10.0.1.77")) {
      List<InetAddress> order = sorted(BACKENDS, SourceLookup.fixed(ips(src)), Rfc6724.Rule9.BOTH_FAMILIES);
      assertThat(order.get(0)).isEqualTo(ip("10.0.1.12"));
    }
    // Go >= 1.8: IPv4 keeps the DNS order.
    assertThat(sorted(BACKENDS, SourceLookup.fixed(ips("10.0.1.3")), Rfc6724.Rule9.IPV6_ONLY)).isEqualTo(BACKENDS);
    // Equal scores: order kept even under strict.
    assertThat(sorted(BACKENDS, SourceLookup.fixed(ips("10.0.4.211")), Rfc6724.Rule9.BOTH_FAMILIES)).isEqualTo(BACKENDS);
  }

  @Test
  void glibcAppliesRule9ToIpv4OnlyInsideTheSubnetOnIpv6Hosts() {
    SourceLookup slash16 = new SourceLookup() {
      @Override public java.util.Optional<InetAddress> source(InetAddress d) { return java.util.Optional.of(ip("10.0.1.3")); }
      @Override public int subnetPrefixLength(InetAddress s) { return 16; }
    };
    assertThat(sorted(BACKENDS, slash16, Rfc6724.Rule9.GLIBC).get(0)).isEqualTo(ip("10.0.1.12"));
    SourceLookup slash24 = new SourceLookup() {
      @Override public java.util.Optional<InetAddress> source(InetAddress d) { return java.util.Optional.of(ip("10.0.1.3")); }
      @Override public int subnetPrefixLength(InetAddress s) { return 24; }
    };
    assertThat(sorted(BACKENDS, slash24, Rfc6724.Rule9.GLIBC)).isEqualTo(BACKENDS);
    SourceLookup noV6 = new SourceLookup() {
      @Override public java.util.Optional<InetAddress> source(InetAddress d) { return java.util.Optional.of(ip("10.0.1.3")); }
      @Override public int subnetPrefixLength(InetAddress s) { return 16; }
      @Override public boolean hostHasIpv6() { return false; }
    };
    assertThat(sorted(BACKENDS, noV6, Rfc6724.Rule9.GLIBC)).isEqualTo(BACKENDS);
  }

  private static void assertBothWays(String first, String second, String srcFirst, String srcSecond, String rule) {
    Map<InetAddress, InetAddress> m = new LinkedHashMap<>();
    m.put(ip(first), ip(srcFirst));
    m.put(ip(second), ip(srcSecond));
    SourceLookup src = SourceLookup.map(m);
    for (Rfc6724.Rule9 r9 : Rfc6724.Rule9.values()) {
      assertThat(sorted(ips(first, second), src, r9)).containsExactly(ip(first), ip(second));
      List<Rfc6724.Ranked> reversed = Rfc6724.sort(ips(second, first), src, r9);
      assertThat(reversed).extracting(Rfc6724.Ranked::address).containsExactly(ip(first), ip(second));
      assertThat(reversed.get(1).decidedBy()).startsWith(rule);
    }
  }

  @Test
  void rfc6724Section10_2Examples() {
    assertBothWays("2001:db8:1::1", "198.51.100.121", "2001:db8:1::2", "169.254.13.78", "Rule 2");
    assertBothWays("198.51.100.121", "2001:db8:1::1", "198.51.100.117", "fe80::1", "Rule 2");
    assertBothWays("2001:db8:1::1", "10.1.2.3", "2001:db8:1::2", "10.1.2.4", "Rule 6");
    assertBothWays("fe80::1", "2001:db8:1::1", "fe80::2", "2001:db8:1::2", "Rule 8");
  }

  @Test
  void unusableDestinationsGoLast() {
    SourceLookup onlyV4 = SourceLookup.fixed(ips("10.2.3.4"));
    assertThat(sorted(ips("2001:db8::1", "192.0.2.1"), onlyV4, Rfc6724.Rule9.IPV6_ONLY))
        .containsExactly(ip("192.0.2.1"), ip("2001:db8::1"));
  }

  @Test
  void publicIpv4ListFromAPrivateSourceKeepsItsOrder() {
    List<InetAddress> list = ips("54.83.193.112", "184.72.238.214", "23.23.172.185", "75.101.148.21",
        "23.23.134.56", "23.21.50.150");
    for (Rfc6724.Rule9 r9 : List.of(Rfc6724.Rule9.IPV6_ONLY, Rfc6724.Rule9.GLIBC)) {
      assertThat(sorted(list, SourceLookup.fixed(ips("10.2.3.4")), r9)).isEqualTo(list);
    }
  }

  @Test
  void rule9AppliesToIpv6() {
    SourceLookup src = SourceLookup.fixed(ips("2001:db8:1:2::5"));
    assertThat(sorted(ips("2001:db8:9::1", "2001:db8:1:2::1"), src, Rfc6724.Rule9.IPV6_ONLY))
        .containsExactly(ip("2001:db8:1:2::1"), ip("2001:db8:9::1"));
  }

  @Test
  void commonPrefixLength() {
    assertThat(Rfc6724.commonPrefixLen(ip("fe80::1"), ip("fe80::2"))).isEqualTo(64);
    assertThat(Rfc6724.commonPrefixLen(ip("fe81::1"), ip("fe80::2"))).isEqualTo(15);
    assertThat(Rfc6724.commonPrefixLen(ip("127.0.0.1"), ip("fe80::1"))).isZero();
    assertThat(Rfc6724.commonPrefixLen(ip("1.2.3.4"), ip("1.2.3.4"))).isEqualTo(32);
  }

  @Test
  void scopes() {
    for (String s : List.of("127.0.0.1", "::1", "169.254.1.2", "ff02::2")) {
      assertThat(Rfc6724.scope(ip(s))).as(s).isEqualTo(Rfc6724.SCOPE_LINK_LOCAL);
    }
    for (String s : List.of("fec0::1", "ff05::2")) {
      assertThat(Rfc6724.scope(ip(s))).as(s).isEqualTo(Rfc6724.SCOPE_SITE_LOCAL);
    }
    assertThat(Rfc6724.scope(ip("ff04::2"))).isEqualTo(4);
    for (String s : List.of("8.8.8.8", "ff0e::2", "224.0.0.0", "10.0.0.1")) {
      assertThat(Rfc6724.scope(ip(s))).as(s).isEqualTo(Rfc6724.SCOPE_GLOBAL);
    }
  }

  @Test
  void policyTable() {
    assertThat(Rfc6724.precedence(ip("::1"))).isEqualTo(50);
    assertThat(Rfc6724.label(ip("::1"))).isZero();
    assertThat(Rfc6724.precedence(ip("2001:db8::1"))).isEqualTo(40);
    assertThat(Rfc6724.precedence(ip("10.1.2.3"))).isEqualTo(35);
    assertThat(Rfc6724.label(ip("10.1.2.3"))).isEqualTo(4);
    assertThat(Rfc6724.precedence(ip("2002::1"))).isEqualTo(30);
    assertThat(Rfc6724.label(ip("2001:0::1"))).isEqualTo(5);
    assertThat(Rfc6724.precedence(ip("fd00::1"))).isEqualTo(3);
    assertThat(Rfc6724.label(ip("fd00::1"))).isEqualTo(13);
    assertThat(Rfc6724.label(ip("::1.2.3.4"))).isEqualTo(3);
    assertThat(Rfc6724.label(ip("fec0::1"))).isEqualTo(11);
    assertThat(Rfc6724.label(ip("3ffe::1"))).isEqualTo(12);
  }
}
