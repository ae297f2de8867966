package io.kaiware.dns.resolver;

import org.xbill.DNS.Type;

/** The address record types the resolver looks up. */
public enum RecordType {
  A(Type.A),
  AAAA(Type.AAAA);

  final int code;

  RecordType(int code) {
    this.code = code;
  }
}
