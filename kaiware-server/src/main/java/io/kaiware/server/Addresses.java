package io.kaiware.server;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Formats socket addresses the way Redis prints them in CLIENT LIST: {@code ip:port}. */
final class Addresses {
  private Addresses() {}

  static String format(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      String host = inet.getAddress().getHostAddress();
      if (inet.getAddress() instanceof Inet6Address) {
        int scope = host.indexOf('%');
        host = scope < 0 ? host : host.substring(0, scope);
      }
      return host + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  /** Whether a bind address only accepts local connections. */
  static boolean isLoopback(String bindAddress) {
    String a = bindAddress.startsWith("-") ? bindAddress.substring(1) : bindAddress;
    return a.equals("localhost") || a.startsWith("127.") || a.equals("::1");
  }
}
