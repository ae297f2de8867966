package io.kaiware.dns.resolver;

import java.net.InetAddress;
import java.util.List;

/**
 * The result of one lookup of one record type.
 *
 * @param name the name as asked
 * @param answeredName the fully qualified name that produced the final answer (after search suffixes)
 * @param outcome ANSWER, NXDOMAIN or NODATA when final; otherwise the last failure seen
 * @param addresses addresses in the order the server sent them (empty unless ANSWER)
 * @param records the answer section as received, one record per line (presentation format)
 * @param server the server whose reply was used (null from cache or on failure)
 * @param source where it came from
 * @param attempts every query sent (empty when served from cache)
 * @param elapsedNanos total time of the lookup
 */
public record DnsAnswer(String name, RecordType type, String answeredName, Outcome outcome,
    List<InetAddress> addresses, List<String> records, java.net.InetSocketAddress server,
    Source source, List<Attempt> attempts, long elapsedNanos) {

  /** Where an answer came from. */
  public enum Source { NETWORK, CACHE, STALE_CACHE, LITERAL, NONE }

  public DnsAnswer {
    addresses = List.copyOf(addresses);
    records = List.copyOf(records);
    attempts = List.copyOf(attempts);
  }

  DnsAnswer withSource(Source s, List<Attempt> a, long elapsed) {
    return new DnsAnswer(name, type, answeredName, outcome, addresses, records, server, s, a, elapsed);
  }
}
