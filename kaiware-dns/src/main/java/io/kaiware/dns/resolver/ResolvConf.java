package io.kaiware.dns.resolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses resolv.conf(5): {@code nameserver} (any count), {@code search}, {@code domain}, and the
 * options {@code ndots:n}, {@code timeout:n}, {@code attempts:n}, {@code rotate},
 * {@code single-request}, {@code single-request-reopen}, {@code use-vc}. Unknown lines are ignored,
 * as glibc does. As an extension for tests and non-standard ports, a nameserver may carry a port:
 * {@code 127.0.0.2#5353}, {@code 127.0.0.2:5353} or {@code [::1]:5353}.
 */
public final class ResolvConf {
  private ResolvConf() {}

  public static ResolverConfig read(Path path, ResolverConfig.Builder defaults) throws IOException {
    return parse(Files.readString(path, StandardCharsets.UTF_8), defaults);
  }

  public static ResolverConfig parse(String text, ResolverConfig.Builder defaults) {
    ResolverConfig.Builder base = defaults.copy();
    List<InetSocketAddress> servers = new ArrayList<>();
    List<String> search = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      int hash = line.indexOf(';');
      if (hash >= 0) line = line.substring(0, hash).strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] f = line.split("\\s+");
      switch (f[0]) {
        case "nameserver" -> {
          if (f.length > 1) {
            InetSocketAddress a = parseServer(f[1]);
            if (a != null) servers.add(a);
          }
        }
        // The last of search/domain wins, as in glibc.
        case "search" -> { search.clear(); for (int i = 1; i < f.length; i++) search.add(f[i]); }
        case "domain" -> { search.clear(); if (f.length > 1) search.add(f[1]); }
        case "options" -> {
          for (int i = 1; i < f.length; i++) option(f[i], base);
        }
        default -> { }
      }
    }
    if (servers.isEmpty()) {
      // glibc's default when no nameserver is configured.
      servers.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
    }
    return base.nameservers(servers).search(search).build();
  }

  private static void option(String opt, ResolverConfig.Builder b) {
    int colon = opt.indexOf(':');
    String key = colon < 0 ? opt : opt.substring(0, colon);
    int n = colon < 0 ? -1 : parseInt(opt.substring(colon + 1));
    switch (key) {
      case "ndots" -> { if (n >= 0) b.ndots(Math.min(n, 15)); }
      case "timeout" -> { if (n > 0) b.timeoutMs(Math.min(n, 30) * 1000); }
      case "attempts" -> { if (n > 0) b.attempts(Math.min(n, 5)); }
      case "rotate" -> b.rotate(true);
      case "single-request", "single-request-reopen" -> b.singleRequest(true);
      case "use-vc" -> b.useVc(true);
      default -> { }
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static InetSocketAddress parseServer(String s) {
    String host = s;
    int port = 53;
    int sharp = s.indexOf('#');
    if (sharp > 0) {
      host = s.substring(0, sharp);
      port = parseInt(s.substring(sharp + 1));
    } else if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) return null;
      host = s.substring(1, close);
      if (s.length() > close + 2 && s.charAt(close + 1) == ':') port = parseInt(s.substring(close + 2));
    } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      host = s.substring(0, s.indexOf(':'));
      port = parseInt(s.substring(s.indexOf(':') + 1));
    }
    if (port <= 0 || port > 65535) return null;
    byte[] literal = Literals.parse(host);
    if (literal == null) return null;
    try {
      return new InetSocketAddress(InetAddress.getByAddress(literal), port);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
