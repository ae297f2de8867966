package io.kaiware.dns.jvm;

import io.kaiware.dns.resolver.HostsFile;
import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.select.AddressSelector;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JVM-wide resolver: the hosts file, then {@link KaiwareResolver}, ordered by the selector, then
 * grouped by family when the JDK asks for IPv4 or IPv6 first ({@code java.net.preferIPv6Addresses};
 * IPv4 first by default). Reverse lookups: the hosts file, then the JDK's built-in resolver.
 * Nothing here may call {@code InetAddress.getByName} with a name: that would recurse into itself.
 */
final class KaiwareInetAddressResolver implements InetAddressResolver {
  private final KaiwareResolver resolver;
  private final AddressSelector selector;
  private final HostsFile hosts;
  private final InetAddressResolver builtin;

  KaiwareInetAddressResolver(KaiwareResolver resolver, AddressSelector selector, HostsFile hosts,
      InetAddressResolver builtin) {
    this.resolver = resolver;
    this.selector = selector;
    this.hosts = hosts;
    this.builtin = builtin;
  }

  KaiwareResolver resolver() {
    return resolver;
  }

  @Override
  public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
    int c = policy.characteristics();
    boolean v4 = (c & LookupPolicy.IPV4) != 0;
    boolean v6 = (c & LookupPolicy.IPV6) != 0;
    List<InetAddress> found = new ArrayList<>();
    for (InetAddress a : hosts.lookup(host)) {
      if (a instanceof Inet4Address ? v4 : v6) found.add(a);
    }
    if (found.isEmpty()) found = resolver.resolveAll(host, v4, v6);
    List<InetAddress> ordered = selector.order(host, found);
    if ((c & LookupPolicy.IPV4_FIRST) != 0) return byFamily(ordered, true);
    if ((c & LookupPolicy.IPV6_FIRST) != 0) return byFamily(ordered, false);
    return ordered.stream();
  }

  /** A stable partition: one family first, each keeping the policy's order. */
  private static Stream<InetAddress> byFamily(List<InetAddress> ordered, boolean v4First) {
    return Stream.concat(ordered.stream().filter(a -> (a instanceof Inet4Address) == v4First),
        ordered.stream().filter(a -> (a instanceof Inet4Address) != v4First));
  }

  @Override
  public String lookupByAddress(byte[] addr) throws UnknownHostException {
    String name = hosts.reverse(InetAddress.getByAddress(addr));
    return name != null ? name : builtin.lookupByAddress(addr);
  }
}
