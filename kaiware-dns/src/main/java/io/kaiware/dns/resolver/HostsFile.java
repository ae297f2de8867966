package io.kaiware.dns.resolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.Address;

/**
 * hosts(5): {@code IP canonical-name [aliases...]}, {@code #} comments. Re-read when the file
 * changes (checked at most once a second). glibc consults it before DNS ({@code hosts: files dns});
 * whatever replaces glibc must do the same or {@code localhost} stops resolving. Thread-safe.
 */
public final class HostsFile {
  private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

  private final Path path;
  private volatile Map<String, List<InetAddress>> byName = Map.of();
  private volatile Map<InetAddress, String> byAddress = Map.of();
  private volatile long nextCheckNanos;
  private FileTime loadedMtime;

  /** {@code /etc/hosts}. */
  public static HostsFile system() {
    return new HostsFile(Path.of("/etc/hosts"));
  }

  public HostsFile(Path path) {
    this.path = path;
    reloadIfChanged();
  }

  /** The addresses of {@code name} in the file (file order), or an empty list. */
  public List<InetAddress> lookup(String name) {
    maybeReload();
    String key = name.toLowerCase(Locale.ROOT);
    if (key.endsWith(".")) key = key.substring(0, key.length() - 1);
    List<InetAddress> found = byName.get(key);
    return found == null ? List.of() : found;
  }

  /** The first name of {@code address} in the file, or null. */
  public String reverse(InetAddress address) {
    maybeReload();
    return byAddress.get(address);
  }

  private void maybeReload() {
    long now = System.nanoTime();
    if (now - nextCheckNanos < 0) return;
    reloadIfChanged();
  }

  private synchronized void reloadIfChanged() {
    nextCheckNanos = System.nanoTime() + CHECK_INTERVAL_NANOS;
    try {
      FileTime mtime = Files.getLastModifiedTime(path);
      if (mtime.equals(loadedMtime)) return;
      parse(Files.readString(path, StandardCharsets.UTF_8));
      loadedMtime = mtime;
    } catch (NoSuchFileException e) {
      byName = Map.of();
      byAddress = Map.of();
      loadedMtime = null;
    } catch (IOException | RuntimeException e) {
      // keep the last good content
    }
  }

  private void parse(String text) {
    Map<String, List<InetAddress>> names = new HashMap<>();
    Map<InetAddress, String> addresses = new HashMap<>();
    for (String raw : text.split("\n")) {
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
      if (line.isEmpty()) continue;
      String[] f = line.split("\\s+");
      if (f.length < 2) continue;
      String ip = f[0];
      int percent = ip.indexOf('%'); // fe80::1%lo: the zone is not kept
      byte[] bytes = Address.toByteArray(percent > 0 ? ip.substring(0, percent) : ip, Address.IPv4);
      if (bytes == null) bytes = Address.toByteArray(percent > 0 ? ip.substring(0, percent) : ip, Address.IPv6);
      if (bytes == null) continue;
      for (int i = 1; i < f.length; i++) {
        String name = f[i].toLowerCase(Locale.ROOT);
        try {
          InetAddress a = InetAddress.getByAddress(f[i], bytes);
          List<InetAddress> list = names.computeIfAbsent(name, k -> new ArrayList<>());
          if (!list.contains(a)) list.add(a);
          addresses.putIfAbsent(InetAddress.getByAddress(bytes), f[1]);
        } catch (UnknownHostException e) {
          // not reachable: the length is 4 or 16
        }
      }
    }
    Map<String, List<InetAddress>> frozen = new HashMap<>();
    names.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    byName = Map.copyOf(frozen);
    byAddress = Map.copyOf(addresses);
  }
}
