package io.kaiware.dns.select;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Orders the addresses of a name under an {@link AddressPolicy}. Returns every address, once.
 * Thread-safe. {@code random} draws from one seeded {@link Random} (deterministic for a seed and a
 * sequence of calls); {@code round-robin} keeps one offset per name.
 */
public final class AddressSelector {
  private final AddressPolicy policy;
  private final SourceLookup sources;
  private final Random random;
  private final ConcurrentHashMap<String, AtomicInteger> offsets = new ConcurrentHashMap<>();

  public AddressSelector(AddressPolicy policy, SourceLookup sources, long seed) {
    this.policy = Objects.requireNonNull(policy);
    this.sources = Objects.requireNonNull(sources);
    this.random = new Random(seed);
  }

  /** The policy with the kernel's source addresses and a random seed. */
  public static AddressSelector of(AddressPolicy policy) {
    return new AddressSelector(policy, SourceLookup.kernel(), new Random().nextLong());
  }

  public AddressPolicy policy() {
    return policy;
  }

  /** {@code addresses} ordered under the policy (a new list; the input is not changed). */
  public List<InetAddress> order(String name, List<InetAddress> addresses) {
    List<InetAddress> out = new ArrayList<>(addresses);
    if (out.size() < 2) return out;
    switch (policy) {
      case RFC6724, RFC6724_STRICT, GLIBC -> {
        List<Rfc6724.Ranked> ranked = Rfc6724.sort(out, sources, rule9(policy));
        out.clear();
        for (Rfc6724.Ranked r : ranked) out.add(r.address());
      }
      case RANDOM -> {
        synchronized (random) {
          Collections.shuffle(out, random);
        }
      }
      case ROUND_ROBIN -> {
        // Rotate a canonical order (by address bytes), not the answer as received: a DNS server
        // that rotates its answers itself (round-robin DNS) would otherwise cancel our rotation
        // out (offset k of an answer already rotated by k starts at 2k: half the backends).
        out.sort(AddressSelector::compareBytes);
        AtomicInteger off = offsets.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new AtomicInteger());
        if (offsets.size() > 100_000) offsets.clear();
        Collections.rotate(out, -Math.floorMod(off.getAndIncrement(), out.size()));
      }
    }
    return out;
  }

  /** The RFC 6724 attributes of each address in this policy's order (for RFC 6724 variants). */
  public List<Rfc6724.Ranked> explain(List<InetAddress> addresses) {
    Rfc6724.Rule9 r9 = policy == AddressPolicy.RANDOM || policy == AddressPolicy.ROUND_ROBIN
        ? Rfc6724.Rule9.IPV6_ONLY : rule9(policy);
    return Rfc6724.sort(addresses, sources, r9);
  }

  /** IPv4 before IPv6, then unsigned byte order. */
  static int compareBytes(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) return Integer.compare(x.length, y.length);
    return java.util.Arrays.compareUnsigned(x, y);
  }

  static Rfc6724.Rule9 rule9(AddressPolicy p) {
    return switch (p) {
      case RFC6724_STRICT -> Rfc6724.Rule9.BOTH_FAMILIES;
      case GLIBC -> Rfc6724.Rule9.GLIBC;
      default -> Rfc6724.Rule9.IPV6_ONLY;
    };
  }
}
