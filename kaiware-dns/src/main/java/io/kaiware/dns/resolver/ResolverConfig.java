package io.kaiware.dns.resolver;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Everything the resolver needs to know: the resolv.conf options it honours plus the tuning knobs
 * of hedging, health and cache. Immutable; build one with {@link #builder()} or parse one with
 * {@link ResolvConf#parse}.
 *
 * @param nameservers servers in configuration order (any count; port 53 unless given)
 * @param search search suffixes, tried in order (from {@code search} or {@code domain})
 * @param ndots a name with at least this many dots is tried as-is first (resolv.conf default 1)
 * @param timeoutMs per-attempt timeout of one query to one server (resolv.conf {@code timeout}, seconds there)
 * @param attempts rounds over the server list (resolv.conf {@code attempts})
 * @param rotate start each lookup at the next server among equally healthy ones
 * @param singleRequest query A and AAAA one after the other instead of in parallel
 * @param useVc always query over TCP
 * @param lookupDeadlineMs one deadline for a whole lookup (all names, servers and attempts)
 * @param hedgeFloorMs the hedge delay is never shorter than this
 * @param hedgeFactor the hedge delay is this many times the smoothed RTT
 * @param initialRttMs the RTT assumed for a server never measured
 * @param demoteMs a server that failed stays demoted (tried last, probed in background) this long
 * @param probeIntervalMs how often demoted servers are probed in the background (0 = never)
 * @param minTtlSeconds answers are cached at least this long
 * @param maxTtlSeconds answers are cached at most this long
 * @param negativeTtlSeconds cap on how long NXDOMAIN/NODATA are cached
 * @param staleMaxSeconds a stale answer may be served this long past its TTL when every server fails
 */
public record ResolverConfig(
    List<InetSocketAddress> nameservers,
    List<String> search,
    int ndots,
    int timeoutMs,
    int attempts,
    boolean rotate,
    boolean singleRequest,
    boolean useVc,
    int lookupDeadlineMs,
    int hedgeFloorMs,
    double hedgeFactor,
    int initialRttMs,
    int demoteMs,
    int probeIntervalMs,
    int minTtlSeconds,
    int maxTtlSeconds,
    int negativeTtlSeconds,
    int staleMaxSeconds) {

  public ResolverConfig {
    nameservers = List.copyOf(nameservers);
    search = List.copyOf(search);
    if (nameservers.isEmpty()) {
      throw new IllegalArgumentException("no nameserver");
    }
    if (timeoutMs <= 0 || attempts <= 0 || lookupDeadlineMs <= 0) {
      throw new IllegalArgumentException("timeoutMs, attempts and lookupDeadlineMs must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.nameservers = nameservers;
    b.search = search;
    b.ndots = ndots;
    b.timeoutMs = timeoutMs;
    b.attempts = attempts;
    b.rotate = rotate;
    b.singleRequest = singleRequest;
    b.useVc = useVc;
    b.lookupDeadlineMs = lookupDeadlineMs;
    b.hedgeFloorMs = hedgeFloorMs;
    b.hedgeFactor = hedgeFactor;
    b.initialRttMs = initialRttMs;
    b.demoteMs = demoteMs;
    b.probeIntervalMs = probeIntervalMs;
    b.minTtlSeconds = minTtlSeconds;
    b.maxTtlSeconds = maxTtlSeconds;
    b.negativeTtlSeconds = negativeTtlSeconds;
    b.staleMaxSeconds = staleMaxSeconds;
    return b;
  }

  /** Defaults follow resolv.conf (timeout 5 s, attempts 2, ndots 1) plus hedging and cache defaults. */
  public static final class Builder {
    private List<InetSocketAddress> nameservers = List.of();
    private List<String> search = List.of();
    private int ndots = 1;
    private int timeoutMs = 5_000;
    private int attempts = 2;
    private boolean rotate;
    private boolean singleRequest;
    private boolean useVc;
    private int lookupDeadlineMs = -1;
    private int hedgeFloorMs = 20;
    private double hedgeFactor = 4.0;
    private int initialRttMs = 25;
    private int demoteMs = 30_000;
    private int probeIntervalMs = 1_000;
    private int minTtlSeconds = 0;
    private int maxTtlSeconds = 86_400;
    private int negativeTtlSeconds = 300;
    private int staleMaxSeconds = 86_400;

    private Builder() {}

    public Builder nameservers(List<InetSocketAddress> v) { nameservers = Objects.requireNonNull(v); return this; }
    public Builder search(List<String> v) { search = Objects.requireNonNull(v); return this; }
    public Builder ndots(int v) { ndots = v; return this; }
    public Builder timeoutMs(int v) { timeoutMs = v; return this; }
    public Builder attempts(int v) { attempts = v; return this; }
    public Builder rotate(boolean v) { rotate = v; return this; }
    public Builder singleRequest(boolean v) { singleRequest = v; return this; }
    public Builder useVc(boolean v) { useVc = v; return this; }
    /** Defaults to timeoutMs x attempts when not set. */
    public Builder lookupDeadlineMs(int v) { lookupDeadlineMs = v; return this; }
    public Builder hedgeFloorMs(int v) { hedgeFloorMs = v; return this; }
    public Builder hedgeFactor(double v) { hedgeFactor = v; return this; }
    public Builder initialRttMs(int v) { initialRttMs = v; return this; }
    public Builder demoteMs(int v) { demoteMs = v; return this; }
    public Builder probeIntervalMs(int v) { probeIntervalMs = v; return this; }
    public Builder minTtlSeconds(int v) { minTtlSeconds = v; return this; }
    public Builder maxTtlSeconds(int v) { maxTtlSeconds = v; return this; }
    public Builder negativeTtlSeconds(int v) { negativeTtlSeconds = v; return this; }
    public Builder staleMaxSeconds(int v) { staleMaxSeconds = v; return this; }

    /** An independent copy, so that parsing a resolv.conf never changes the caller's builder. */
    public Builder copy() {
      Builder b = new Builder();
      b.nameservers = nameservers;
      b.search = search;
      b.ndots = ndots;
      b.timeoutMs = timeoutMs;
      b.attempts = attempts;
      b.rotate = rotate;
      b.singleRequest = singleRequest;
      b.useVc = useVc;
      b.lookupDeadlineMs = lookupDeadlineMs;
      b.hedgeFloorMs = hedgeFloorMs;
      b.hedgeFactor = hedgeFactor;
      b.initialRttMs = initialRttMs;
      b.demoteMs = demoteMs;
      b.probeIntervalMs = probeIntervalMs;
      b.minTtlSeconds = minTtlSeconds;
      b.maxTtlSeconds = maxTtlSeconds;
      b.negativeTtlSeconds = negativeTtlSeconds;
      b.staleMaxSeconds = staleMaxSeconds;
      return b;
    }

    public ResolverConfig build() {
      int deadline = lookupDeadlineMs > 0 ? lookupDeadlineMs : timeoutMs * attempts;
      return new ResolverConfig(nameservers, search, ndots, timeoutMs, attempts, rotate, singleRequest,
          useVc, deadline, hedgeFloorMs, hedgeFactor, initialRttMs, demoteMs, probeIntervalMs,
          minTtlSeconds, maxTtlSeconds, negativeTtlSeconds, staleMaxSeconds);
    }
  }
}
