package io.kaiware.dns.resolver;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A TTL-respecting cache of answers (positive and negative), clamped to [min, max] TTL. An expired
 * entry is kept for {@code staleMaxSeconds} more so that it can be served when every server fails
 * (RFC 8767 "serve stale"); {@link #staleServed()} counts those.
 */
final class DnsCache {
  private record Key(String name, RecordType type) {}

  private record Entry(DnsAnswer answer, long expiresNanos, long staleUntilNanos) {}

  private static final int MAX_ENTRIES = 100_000;

  private final ConcurrentHashMap<Key, Entry> map = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private final ResolverConfig config;
  private final AtomicLong staleServed = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();

  DnsCache(ResolverConfig config, LongSupplier nanoClock) {
    this.config = config;
    this.nanoClock = nanoClock;
  }

  private static Key key(String name, RecordType type) {
    return new Key(name.toLowerCase(Locale.ROOT), type);
  }

  void put(String name, RecordType type, DnsAnswer answer, long ttlSeconds, boolean negative) {
    long ttl = Math.max(config.minTtlSeconds(), Math.min(ttlSeconds, config.maxTtlSeconds()));
    if (negative) ttl = Math.min(ttl, config.negativeTtlSeconds());
    if (ttl <= 0 && config.staleMaxSeconds() <= 0) return;
    if (map.size() >= MAX_ENTRIES) map.clear(); // crude bound; DNS answers are cheap to refetch
    long now = nanoClock.getAsLong();
    long expires = now + ttl * 1_000_000_000L;
    map.put(key(name, type), new Entry(answer, expires, expires + config.staleMaxSeconds() * 1_000_000_000L));
  }

  /** A fresh entry, or null. */
  DnsAnswer get(String name, RecordType type) {
    Entry e = map.get(key(name, type));
    if (e == null || nanoClock.getAsLong() - e.expiresNanos >= 0) return null;
    hits.incrementAndGet();
    return e.answer;
  }

  /** An expired-but-not-too-old positive entry, counted as a stale answer served; or null. */
  DnsAnswer stale(String name, RecordType type) {
    Entry e = map.get(key(name, type));
    if (e == null || e.answer.outcome() != Outcome.ANSWER) return null;
    if (nanoClock.getAsLong() - e.staleUntilNanos >= 0) return null;
    staleServed.incrementAndGet();
    return e.answer;
  }

  long staleServed() {
    return staleServed.get();
  }

  long hits() {
    return hits.get();
  }

  void clear() {
    map.clear();
  }
}
