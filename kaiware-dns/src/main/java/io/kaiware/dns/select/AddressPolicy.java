package io.kaiware.dns.select;

import java.util.Locale;

/** How the addresses of one name are ordered. Every policy returns every address. */
public enum AddressPolicy {
  /** RFC 6724 as Go >= 1.8: rules 1, 2, 5, 6, 8, 9 (IPv6 only), 10. The default. */
  RFC6724("rfc6724"),
  /** RFC 6724 with Rule 9 for IPv4 too: the pinning behaviour of incident 2. For diagnosis. */
  RFC6724_STRICT("rfc6724-strict"),
  /** glibc's getaddrinfo: Rule 9 for IPv4 only inside the source's subnet on IPv6-capable hosts. */
  GLIBC("glibc"),
  /** A fresh shuffle per lookup (seedable). */
  RANDOM("random"),
  /**
   * The addresses in a canonical order (IPv4 then IPv6, by bytes), rotated by a per-name offset that
   * advances on every lookup: consecutive connections go to consecutive backends, whatever order the
   * DNS server sends.
   */
  ROUND_ROBIN("round-robin");

  private final String id;

  AddressPolicy(String id) {
    this.id = id;
  }

  /** The name used on the command line and in configuration, e.g. {@code rfc6724-strict}. */
  public String id() {
    return id;
  }

  public static AddressPolicy parse(String s) {
    String k = s.trim().toLowerCase(Locale.ROOT);
    for (AddressPolicy p : values()) {
      if (p.id.equals(k) || p.name().equalsIgnoreCase(k)) return p;
    }
    throw new IllegalArgumentException("unknown policy '" + s + "' (rfc6724, rfc6724-strict, glibc, random, round-robin)");
  }
}
