package io.kaiware.dns.resolver;

import org.xbill.DNS.Address;

/** IP literal parsing that never touches DNS (safe inside a JVM-wide resolver). */
final class Literals {
  private Literals() {}

  /** The 4 or 16 bytes of an IPv4/IPv6 literal, or null when {@code s} is not one. */
  static byte[] parse(String s) {
    byte[] v4 = Address.toByteArray(s, Address.IPv4);
    return v4 != null ? v4 : Address.toByteArray(s, Address.IPv6);
  }
}
