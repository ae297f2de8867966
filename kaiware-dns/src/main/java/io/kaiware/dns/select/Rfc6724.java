package io.kaiware.dns.select;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * RFC 6724 destination address selection (section 6), modelled on Go's {@code net/addrselect.go}:
 * the policy table is data, the comparator walks the rules in RFC order. Rules 3 (deprecated), 4
 * (home addresses) and 7 (native transport) need information the JVM does not expose and are
 * skipped, as in Go.
 *
 * <p>Rule 9 ("longest matching prefix") is where implementations differ, and where incident 2
 * came from: applied to IPv4, it makes every client of a subnet prefer the same backend. The
 * {@link Rule9} parameter selects Go >= 1.8 (IPv6 only), strict RFC (both families) or glibc
 * (IPv4 only within the source's subnet, and only on hosts with IPv6).
 */
public final class Rfc6724 {
  private Rfc6724() {}

  /** Who gets Rule 9. */
  public enum Rule9 { IPV6_ONLY, BOTH_FAMILIES, GLIBC }

  /** Address scopes (RFC 4291 section 2.7). */
  public static final int SCOPE_INTERFACE_LOCAL = 0x1;
  public static final int SCOPE_LINK_LOCAL = 0x2;
  public static final int SCOPE_ADMIN_LOCAL = 0x4;
  public static final int SCOPE_SITE_LOCAL = 0x5;
  public static final int SCOPE_ORG_LOCAL = 0x8;
  public static final int SCOPE_GLOBAL = 0xe;

  private record Policy(byte[] prefix, int bits, int precedence, int label) {}

  /** RFC 6724 section 2.1 default policy table; longest matching prefix wins. */
  private static final List<Policy> POLICY_TABLE = sortedByPrefixLength(List.of(
      policy("::1", 128, 50, 0),
      policy("::", 0, 40, 1),
      policy("::ffff:0:0", 96, 35, 4),
      policy("2002::", 16, 30, 2),
      policy("2001::", 32, 5, 5),
      policy("fc00::", 7, 3, 13),
      policy("::", 96, 1, 3),
      policy("fec0::", 10, 1, 11),
      policy("3ffe::", 16, 1, 12)));

  private static Policy policy(String prefix, int bits, int precedence, int label) {
    return new Policy(org.xbill.DNS.Address.toByteArray(prefix, org.xbill.DNS.Address.IPv6), bits, precedence, label);
  }

  private static List<Policy> sortedByPrefixLength(List<Policy> table) {
    List<Policy> t = new ArrayList<>(table);
    t.sort(Comparator.comparingInt(Policy::bits).reversed());
    return List.copyOf(t);
  }

  /** IPv4 as {@code ::ffff:a.b.c.d}, IPv6 as is. */
  static byte[] as16(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 16) return b;
    byte[] m = new byte[16];
    m[10] = (byte) 0xff;
    m[11] = (byte) 0xff;
    System.arraycopy(b, 0, m, 12, 4);
    return m;
  }

  private static Policy classify(InetAddress a) {
    byte[] ip = as16(a);
    for (Policy p : POLICY_TABLE) {
      if (prefixMatches(ip, p.prefix, p.bits)) return p;
    }
    throw new AssertionError("::/0 matches everything");
  }

  private static boolean prefixMatches(byte[] ip, byte[] prefix, int bits) {
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i & 7);
      if ((ip[i >> 3] & mask) != (prefix[i >> 3] & mask)) return false;
    }
    return true;
  }

  public static int precedence(InetAddress a) {
    return classify(a).precedence;
  }

  public static int label(InetAddress a) {
    return classify(a).label;
  }

  /**
   * Scope: link-local for fe80::/10, ::1, 127/8 and 169.254/16; an IPv6 multicast address's scope
   * nibble; site-local for fec0::/10; global otherwise (RFC 1918 and IPv4 multicast included).
   */
  public static int scope(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress()) return SCOPE_LINK_LOCAL;
    byte[] b = a.getAddress();
    if (b.length == 16 && (b[0] & 0xff) == 0xff) return b[1] & 0x0f;
    if (b.length == 16 && (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) return SCOPE_SITE_LOCAL;
    return SCOPE_GLOBAL;
  }

  /**
   * Common prefix length in bits, as Go: 0 across families; IPv6 compares at most the first 64 bits
   * (the interface identifier carries no routing information).
   */
  public static int commonPrefixLen(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) return 0;
    int len = Math.min(x.length, 8);
    int bits = 0;
    for (int i = 0; i < len; i++) {
      int d = (x[i] ^ y[i]) & 0xff;
      if (d == 0) {
        bits += 8;
        continue;
      }
      return bits + Integer.numberOfLeadingZeros(d) - 24;
    }
    return bits;
  }

  /** One destination with its Source(D) and attributes. */
  public record Ranked(InetAddress address, InetAddress source, int scope, int label, int precedence,
      int commonPrefixLen, String decidedBy) {}

  private record Dest(InetAddress d, Optional<InetAddress> s, int scope, int label, int precedence,
      int srcScope, int srcLabel, int cpl, int index) {}

  /** Sorts stably (Rule 10) and explains, for each address, the rule that placed it after the previous one. */
  public static List<Ranked> sort(List<InetAddress> destinations, SourceLookup sources, Rule9 rule9) {
    List<Dest> ds = new ArrayList<>();
    int i = 0;
    for (InetAddress d : destinations) {
      Optional<InetAddress> s = sources.source(d);
      Policy p = classify(d);
      ds.add(new Dest(d, s, scope(d), p.label, p.precedence, s.map(Rfc6724::scope).orElse(-1),
          s.map(Rfc6724::label).orElse(-1), s.map(x -> commonPrefixLen(x, d)).orElse(0), i++));
    }
    boolean v6host = rule9 != Rule9.GLIBC || sources.hostHasIpv6();
    Comparator<Dest> cmp = (a, b) -> compare(a, b, rule9, sources, v6host).order;
    ds.sort(cmp); // List.sort is stable: Rule 10
    List<Ranked> out = new ArrayList<>();
    for (int k = 0; k < ds.size(); k++) {
      Dest d = ds.get(k);
      String why = k == 0 ? (ds.size() == 1 ? "only address" : "first: " + compare(d, ds.get(1), rule9, sources, v6host).rule)
          : compare(ds.get(k - 1), d, rule9, sources, v6host).rule;
      out.add(new Ranked(d.d, d.s.orElse(null), d.scope, d.label, d.precedence, d.cpl, why));
    }
    return out;
  }

  private record Decision(int order, String rule) {}

  private static Decision prefer(boolean first, String rule) {
    return new Decision(first ? -1 : 1, rule);
  }

  private static Decision compare(Dest a, Dest b, Rule9 rule9, SourceLookup sources, boolean v6host) {
    // Rule 1: Avoid unusable destinations.
    if (a.s.isPresent() != b.s.isPresent()) return prefer(a.s.isPresent(), "Rule 1 (usable destination)");
    // Rule 2: Prefer matching scope.
    boolean am = a.s.isPresent() && a.scope == a.srcScope;
    boolean bm = b.s.isPresent() && b.scope == b.srcScope;
    if (am != bm) return prefer(am, "Rule 2 (matching scope)");
    // Rule 3 (avoid deprecated) and Rule 4 (prefer home addresses): not observable from the JVM.
    // Rule 5: Prefer matching label.
    am = a.s.isPresent() && a.label == a.srcLabel;
    bm = b.s.isPresent() && b.label == b.srcLabel;
    if (am != bm) return prefer(am, "Rule 5 (matching label)");
    // Rule 6: Prefer higher precedence.
    if (a.precedence != b.precedence) return prefer(a.precedence > b.precedence, "Rule 6 (higher precedence)");
    // Rule 7 (prefer native transport): not observable.
    // Rule 8: Prefer smaller scope.
    if (a.scope != b.scope) return prefer(a.scope < b.scope, "Rule 8 (smaller scope)");
    // Rule 9: Use longest matching prefix (same family only).
    if (a.s.isPresent() && b.s.isPresent() && rule9Applies(a, b, rule9, sources, v6host) && a.cpl != b.cpl) {
      return prefer(a.cpl > b.cpl, "Rule 9 (longest matching prefix)");
    }
    // Rule 10: Otherwise, leave the order unchanged.
    return new Decision(Integer.compare(a.index, b.index), "Rule 10 (order kept)");
  }

  private static boolean rule9Applies(Dest a, Dest b, Rule9 rule9, SourceLookup sources, boolean v6host) {
    boolean a4 = a.d instanceof Inet4Address;
    boolean b4 = b.d instanceof Inet4Address;
    if (a4 != b4) return false;
    if (!a4) return true; // both IPv6: every variant applies it
    return switch (rule9) {
      // Go >= 1.8 (issue 18518): IPv4 prefixes say nothing about topology; never for IPv4.
      case IPV6_ONLY -> false;
      case BOTH_FAMILIES -> true;
      // glibc: only on hosts with IPv6, and only when both destinations are in the source's subnet.
      case GLIBC -> v6host && inSubnet(a, sources) && inSubnet(b, sources);
    };
  }

  private static boolean inSubnet(Dest d, SourceLookup sources) {
    int prefix = sources.subnetPrefixLength(d.s.orElseThrow());
    return prefix > 0 && commonPrefixLen(d.s.get(), d.d) >= prefix;
  }
}
