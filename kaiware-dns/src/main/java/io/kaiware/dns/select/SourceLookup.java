package io.kaiware.dns.select;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The source address the host would use to reach a destination (RFC 6724's Source(D)).
 * Injectable so that tests can play any host.
 */
public interface SourceLookup {
  /** Source(D), or empty when D is unreachable (RFC 6724 Rule 1). */
  Optional<InetAddress> source(InetAddress destination);

  /** Prefix length of the interface subnet that {@code source} belongs to, or -1 when unknown (glibc policy). */
  default int subnetPrefixLength(InetAddress source) {
    return -1;
  }

  /** True when the host has a non-loopback IPv6 address (glibc applies Rule 9 to IPv4 only then). */
  default boolean hostHasIpv6() {
    return true;
  }

  /**
   * Asks the kernel: connects a UDP {@link DatagramChannel} to the destination (no packet is sent)
   * and reads the local address the routing table chose.
   */
  static SourceLookup kernel() {
    return new SourceLookup() {
      @Override
      public Optional<InetAddress> source(InetAddress destination) {
        try (DatagramChannel ch = DatagramChannel.open()) {
          ch.connect(new InetSocketAddress(destination, 9));
          InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
          InetAddress a = local.getAddress();
          return a.isAnyLocalAddress() ? Optional.empty() : Optional.of(a);
        } catch (IOException | RuntimeException e) {
          return Optional.empty();
        }
      }

      @Override
      public int subnetPrefixLength(InetAddress source) {
        try {
          NetworkInterface ni = NetworkInterface.getByInetAddress(source);
          if (ni == null) return -1;
          for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
            if (ia.getAddress().equals(source)) return ia.getNetworkPrefixLength();
          }
        } catch (SocketException e) {
          return -1;
        }
        return -1;
      }

      @Override
      public boolean hostHasIpv6() {
        try {
          for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isLoopback()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
              if (a instanceof Inet6Address && !a.isLoopbackAddress()) return true;
            }
          }
        } catch (SocketException e) {
          return false;
        }
        return false;
      }
    };
  }

  /** A host with these source addresses: each destination gets the first source of its family. */
  static SourceLookup fixed(List<InetAddress> sources) {
    List<InetAddress> copy = List.copyOf(sources);
    return destination -> copy.stream()
        .filter(s -> (s instanceof Inet4Address) == (destination instanceof Inet4Address))
        .findFirst();
  }

  /** An explicit Source(D) per destination (the RFC 6724 section 10 examples). */
  static SourceLookup map(Map<InetAddress, InetAddress> sourceByDestination) {
    Map<InetAddress, InetAddress> copy = Map.copyOf(sourceByDestination);
    return destination -> Optional.ofNullable(copy.get(destination));
  }
}
