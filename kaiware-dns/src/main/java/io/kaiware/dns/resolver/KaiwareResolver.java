package io.kaiware.dns.resolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A stub resolver that never stalls on a dead nameserver.
 *
 * <h2>Why</h2>
 * glibc (hence the JDK's {@code InetAddress}), Go and Netty walk the nameservers in order and
 * remember nothing: a dead <em>first</em> server costs the full timeout (5 s by default) on every
 * uncached lookup, forever (incident 1). This resolver borrows the best of musl, c-ares, hickory
 * and CoreDNS instead.
 *
 * <h2>How a lookup runs</h2>
 * <ol>
 *   <li><b>Order.</b> Servers are ordered healthy-first (configuration order, or rotated with
 *   {@code options rotate}), then demoted servers (a failure within {@code demoteMs}), fewest
 *   failures first. The sequence is repeated {@code attempts} times.</li>
 *   <li><b>Hedging.</b> The first server is queried. If no final answer arrives within the hedge
 *   delay, {@code clamp(hedgeFactor x srtt, hedgeFloorMs, timeoutMs)} of that server (srtt is the
 *   smoothed RTT, {@code initialRttMs} until measured), the next server is queried <em>as well</em>;
 *   the earlier query keeps running. A server that fails fast (SERVFAIL, REFUSED, port unreachable)
 *   triggers the next one at once. The first <em>final</em> answer wins and the rest are
 *   abandoned.</li>
 *   <li><b>Final answers.</b> ANSWER, NXDOMAIN and NODATA are final: we never walk on to another
 *   server for them (the Go 1.11 bug: walking on after NODATA sent every AAAA query to the dead
 *   server). SERVFAIL, REFUSED, timeouts and unreachable ports move on. A truncated UDP answer is
 *   retried over TCP to the same server.</li>
 *   <li><b>Health.</b> Every reply updates the server's srtt; every failure, and every query that
 *   lost a hedge race after its own hedge delay expired, counts as a failure and demotes the
 *   server. Demoted servers are tried last and probed in the background every
 *   {@code probeIntervalMs}; the first final answer to a probe restores them. Failures are
 *   forgotten after {@code demoteMs} (decay). So a dead server costs one hedge delay once, then
 *   nothing.</li>
 *   <li><b>One deadline.</b> {@code lookupDeadlineMs} bounds the whole lookup: every search suffix,
 *   server and attempt. Per-query timeouts are cut to what is left.</li>
 *   <li><b>Cache.</b> Answers are cached for their TTL (clamped), negative answers for the SOA
 *   minimum (capped). When every server fails, an expired answer younger than
 *   {@code staleMaxSeconds} is served and counted ({@link #staleAnswersServed()}).</li>
 * </ol>
 * A and AAAA are independent lookups ({@link #resolveAll} runs them in parallel unless
 * {@code single-request}); one failing does not fail or delay the other beyond the deadline.
 *
 * <h2>Threads</h2>
 * Each query runs blocking I/O on a virtual thread; the caller's thread coordinates through a
 * queue. One daemon platform thread schedules the background probes. Thread-safe.
 */
public final class KaiwareResolver implements AutoCloseable {
  /** How often, at most, a watched resolv.conf is checked for changes. */
  static final long RELOAD_CHECK_NANOS = 1_000_000_000L;
  /** Probe name: the root zone's NS set; any final answer proves the server alive. */
  private static final String PROBE_NAME = ".";

  private final Path resolvConfPath;
  private final ResolverConfig.Builder tuning;
  private final LongSupplier nanoClock;
  private final ExecutorService queries = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService prober;
  private final AtomicInteger rotation = new AtomicInteger();
  private final DnsCache cache;
  private volatile State state;
  private volatile long nextReloadCheckNanos;
  private FileTime loadedMtime;
  private long loadedSize;

  /** The configuration and the servers' health, swapped as a unit on reload. */
  private record State(ResolverConfig config, List<ServerHealth> servers) {}

  private KaiwareResolver(ResolverConfig config, Path resolvConfPath, ResolverConfig.Builder tuning,
      LongSupplier nanoClock) {
    this.resolvConfPath = resolvConfPath;
    this.tuning = tuning;
    this.nanoClock = nanoClock;
    this.state = newState(config, List.of());
    this.cache = new DnsCache(config, nanoClock);
    if (config.probeIntervalMs() > 0) {
      prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kaiware-dns-prober");
        t.setDaemon(true);
        return t;
      });
      prober.scheduleWithFixedDelay(this::probeDemoted, config.probeIntervalMs(),
          config.probeIntervalMs(), TimeUnit.MILLISECONDS);
    } else {
      prober = null;
    }
  }

  /** A resolver with a fixed, programmatic configuration. */
  public static KaiwareResolver create(ResolverConfig config) {
    return new KaiwareResolver(config, null, null, System::nanoTime);
  }

  /**
   * A resolver configured from a resolv.conf file, re-read when it changes (checked at most once a
   * second, at lookup time). {@code tuning} supplies the values resolv.conf cannot express.
   */
  public static KaiwareResolver fromResolvConf(Path path, ResolverConfig.Builder tuning) throws IOException {
    ResolverConfig config = ResolvConf.read(path, tuning.copy());
    KaiwareResolver r = new KaiwareResolver(config, path, tuning, System::nanoTime);
    synchronized (r) {
      r.loadedMtime = Files.getLastModifiedTime(path);
      r.loadedSize = Files.size(path);
    }
    r.nextReloadCheckNanos = System.nanoTime() + RELOAD_CHECK_NANOS;
    return r;
  }

  /** {@code /etc/resolv.conf} with default tuning. */
  public static KaiwareResolver system() throws IOException {
    return fromResolvConf(Path.of("/etc/resolv.conf"), ResolverConfig.builder().nameservers(List.of(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 53))));
  }

  static KaiwareResolver createForTest(ResolverConfig config, LongSupplier nanoClock) {
    return new KaiwareResolver(config, null, null, nanoClock);
  }

  private State newState(ResolverConfig config, List<ServerHealth> previous) {
    Map<InetSocketAddress, ServerHealth> old = new HashMap<>();
    for (ServerHealth h : previous) old.put(h.address, h);
    List<ServerHealth> servers = new ArrayList<>();
    int i = 0;
    for (InetSocketAddress a : config.nameservers()) {
      ServerHealth h = old.get(a);
      servers.add(h != null && h.index == i ? h : new ServerHealth(a, i));
      i++;
    }
    return new State(config, List.copyOf(servers));
  }

  /** The current configuration (after any reload). */
  public ResolverConfig config() {
    maybeReload();
    return state.config();
  }

  /** Health of every configured server, in configuration order. */
  public List<ServerStatus> servers() {
    State s = state;
    long now = nanoClock.getAsLong();
    return s.servers().stream().map(h -> h.status(now, s.config().demoteMs())).toList();
  }

  /** Metric: how many times an expired answer was served because every server failed. */
  public long staleAnswersServed() {
    return cache.staleServed();
  }

  /** Metric: answers served fresh from the cache. */
  public long cacheHits() {
    return cache.hits();
  }

  /** Forgets every cached answer (health is kept). */
  public void clearCache() {
    cache.clear();
  }

  /**
   * Every address of {@code host}: A and AAAA looked up independently (in parallel unless
   * single-request), in the order received, IPv6 first. Selection (ordering) is the caller's job;
   * see {@code io.kaiware.dns.select}.
   *
   * @throws UnknownHostException when neither lookup produced an address
   */
  public List<InetAddress> resolveAll(String host, boolean ipv4, boolean ipv6) throws UnknownHostException {
    List<DnsAnswer> answers = lookupAll(host, ipv4, ipv6);
    List<InetAddress> out = new ArrayList<>();
    for (DnsAnswer a : answers) out.addAll(a.addresses());
    if (out.isEmpty()) {
      String why = answers.isEmpty() ? "no family" : answers.get(answers.size() - 1).outcome().name();
      throw new UnknownHostException(host + ": " + why);
    }
    return out;
  }

  public List<InetAddress> resolveAll(String host) throws UnknownHostException {
    return resolveAll(host, true, true);
  }

  /** The AAAA then A answers for {@code host} (only the families asked for). */
  public List<DnsAnswer> lookupAll(String host, boolean ipv4, boolean ipv6) {
    if (ipv4 && ipv6 && !config().singleRequest()) {
      Future<DnsAnswer> v6 = queries.submit(() -> lookup(host, RecordType.AAAA));
      DnsAnswer v4 = lookup(host, RecordType.A);
      try {
        return List.of(v6.get(), v4);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of(v4);
      } catch (java.util.concurrent.ExecutionException e) {
        return List.of(v4);
      }
    }
    List<DnsAnswer> out = new ArrayList<>();
    if (ipv6) out.add(lookup(host, RecordType.AAAA));
    if (ipv4) out.add(lookup(host, RecordType.A));
    return out;
  }

  /** One lookup of one record type, with search suffixes, hedging, cache and the deadline. */
  public DnsAnswer lookup(String host, RecordType type) {
    long start = nanoClock.getAsLong();
    maybeReload();
    State st = state;
    ResolverConfig cfg = st.config();
    long deadline = start + cfg.lookupDeadlineMs() * 1_000_000L;
    String name = host;

    byte[] literal = Literals.parse(host);
    if (literal != null) {
      List<InetAddress> addrs = List.of();
      if ((literal.length == 4) == (type == RecordType.A)) {
        try {
          addrs = List.of(InetAddress.getByAddress(host, literal));
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
      return new DnsAnswer(host, type, host, addrs.isEmpty() ? Outcome.NODATA : Outcome.ANSWER, addrs,
          List.of(), null, DnsAnswer.Source.LITERAL, List.of(), nanoClock.getAsLong() - start);
    }

    DnsAnswer cached = cache.get(name, type);
    if (cached != null) {
      return cached.withSource(DnsAnswer.Source.CACHE, List.of(), nanoClock.getAsLong() - start);
    }

    List<Attempt> attempts = new ArrayList<>();
    DnsAnswer negative = null;
    Message negativeReply = null;
    Outcome lastFailure = null;
    for (String candidate : candidates(name, cfg)) {
      if (nanoClock.getAsLong() - deadline >= 0) {
        lastFailure = Outcome.TIMEOUT;
        break;
      }
      Result r = queryServers(st, candidate, type, start, deadline, attempts);
      if (r.outcome == Outcome.ANSWER) {
        DnsAnswer a = toAnswer(host, type, candidate, r, attempts, start);
        cache.put(name, type, a, minTtl(r.reply), false);
        return a;
      }
      if (r.outcome.isFinal()) {
        if (negative == null || r.outcome == Outcome.NODATA) {
          negative = toAnswer(host, type, candidate, r, List.of(), start);
          negativeReply = r.reply;
        }
        // NXDOMAIN/NODATA for one candidate: the next search suffix may still exist.
      } else {
        lastFailure = r.outcome;
      }
    }
    long elapsed = nanoClock.getAsLong() - start;
    if (lastFailure != null) {
      DnsAnswer stale = cache.stale(name, type);
      if (stale != null) return stale.withSource(DnsAnswer.Source.STALE_CACHE, attempts, elapsed);
    }
    if (negative != null && lastFailure == null) {
      DnsAnswer a = negative.withSource(DnsAnswer.Source.NETWORK, attempts, elapsed);
      cache.put(name, type, a, negativeTtl(negativeReply), true);
      return a;
    }
    if (negative != null) return negative.withSource(DnsAnswer.Source.NETWORK, attempts, elapsed);
    return new DnsAnswer(host, type, null, lastFailure == null ? Outcome.TIMEOUT : lastFailure, List.of(),
        List.of(), null, DnsAnswer.Source.NONE, attempts, elapsed);
  }

  /** Negative TTL per RFC 2308: min(SOA TTL, SOA minimum); 30 s when the reply has no SOA. */
  private static long negativeTtl(Message reply) {
    if (reply != null) {
      for (Record rec : reply.getSection(Section.AUTHORITY)) {
        if (rec instanceof SOARecord soa) return Math.min(soa.getTTL(), soa.getMinimum());
      }
    }
    return 30;
  }

  private DnsAnswer toAnswer(String host, RecordType type, String candidate, Result r, List<Attempt> attempts,
      long start) {
    List<InetAddress> addrs = new ArrayList<>();
    List<String> text = new ArrayList<>();
    if (r.reply != null) {
      for (Record rec : r.reply.getSection(Section.ANSWER)) {
        text.add(rec.toString());
        if (rec instanceof ARecord a && type == RecordType.A) addrs.add(withName(host, a.getAddress()));
        if (rec instanceof AAAARecord a && type == RecordType.AAAA) addrs.add(withName(host, a.getAddress()));
      }
      for (Record rec : r.reply.getSection(Section.AUTHORITY)) {
        if (rec instanceof SOARecord soa) {
          text.add(rec.toString());
        }
      }
    }
    return new DnsAnswer(host, type, candidate, r.outcome, addrs, text, r.server,
        DnsAnswer.Source.NETWORK, attempts, nanoClock.getAsLong() - start);
  }

  private static InetAddress withName(String host, InetAddress a) {
    try {
      return InetAddress.getByAddress(host, a.getAddress());
    } catch (UnknownHostException e) {
      return a;
    }
  }

  private static long minTtl(Message reply) {
    long min = Long.MAX_VALUE;
    for (Record r : reply.getSection(Section.ANSWER)) min = Math.min(min, r.getTTL());
    return min == Long.MAX_VALUE ? 0 : min;
  }

  /** Names to try, in order: as-is first when it has at least ndots dots, then each search suffix. */
  static List<String> candidates(String name, ResolverConfig cfg) {
    if (name.endsWith(".")) return List.of(name);
    long dots = name.chars().filter(c -> c == '.').count();
    List<String> out = new ArrayList<>();
    if (dots >= cfg.ndots()) out.add(name + ".");
    for (String s : cfg.search()) {
      String suffix = s.endsWith(".") ? s : s + ".";
      out.add(name + "." + suffix);
    }
    if (dots < cfg.ndots()) out.add(name + ".");
    return out;
  }

  // ---------------------------------------------------------------- one name, every server

  private record Result(Outcome outcome, Message reply, InetSocketAddress server) {}

  private record Done(int slot, Exchange.Reply reply, long endNanos) {}

  private static final class Running {
    final ServerHealth server;
    final Exchange exchange;
    final long startNanos;
    final long hedgeDelayNanos;

    Running(ServerHealth server, Exchange exchange, long startNanos, long hedgeDelayNanos) {
      this.server = server;
      this.exchange = exchange;
      this.startNanos = startNanos;
      this.hedgeDelayNanos = hedgeDelayNanos;
    }
  }

  private Result queryServers(State st, String qname, RecordType type, long lookupStart, long deadline,
      List<Attempt> attempts) {
    ResolverConfig cfg = st.config();
    Message query;
    try {
      query = Message.newQuery(Record.newRecord(Name.fromString(qname), type.code, DClass.IN));
    } catch (TextParseException e) {
      return new Result(Outcome.NXDOMAIN, null, null);
    }
    List<ServerHealth> order = order(st);
    List<ServerHealth> sequence = new ArrayList<>();
    for (int round = 0; round < cfg.attempts(); round++) sequence.addAll(order);

    LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
    Map<Integer, Running> running = new HashMap<>();
    int next = 0;
    long nextHedgeAt = Long.MIN_VALUE; // launch immediately
    Outcome lastFailure = Outcome.TIMEOUT;
    try {
      while (true) {
        long now = nanoClock.getAsLong();
        if (now - deadline >= 0) return new Result(Outcome.TIMEOUT, null, null);
        // Launch the next server when the hedge delay expired or nothing is in flight.
        // A server still busy with this name from an earlier round (attempts > 1) is not asked
        // twice at once: its next attempt waits until the current one has failed.
        boolean nextIsBusy = next < sequence.size() && isRunning(running, sequence.get(next));
        if (next < sequence.size() && !nextIsBusy && (running.isEmpty() || now - nextHedgeAt >= 0)) {
          ServerHealth s = sequence.get(next);
          int timeoutMs = (int) Math.max(1, Math.min(cfg.timeoutMs(), (deadline - now) / 1_000_000L));
          long hedge = hedgeDelayNanos(s, cfg);
          Exchange ex = new Exchange(s.address, query);
          int slot = next;
          running.put(slot, new Running(s, ex, now, hedge));
          boolean tcp = cfg.useVc();
          queries.execute(() -> done.add(new Done(slot, ex.run(timeoutMs, tcp), System.nanoTime())));
          nextHedgeAt = now + hedge;
          next++;
          continue;
        }
        if (running.isEmpty()) return new Result(lastFailure, null, null);
        long wait = next < sequence.size() && !nextIsBusy ? Math.min(nextHedgeAt, deadline) - now : deadline - now;
        Done d = done.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
        if (d == null) continue;
        Running r = running.remove(d.slot);
        long end = nanoClock.getAsLong();
        Outcome o = d.reply.outcome();
        attempts.add(new Attempt(qname, type.code, r.server.address, o, r.startNanos - lookupStart,
            end - r.startNanos, d.reply.overTcp()));
        switch (o) {
          case ANSWER, NXDOMAIN, NODATA -> r.server.recordSuccess(end - r.startNanos);
          case CANCELLED -> { }
          default -> r.server.recordFailure(end);
        }
        if (o.isFinal()) {
          // Abandon the rest. A query still unanswered after its own hedge delay lost to a later
          // server: that is evidence of a dead or sick server, so it counts as a failure.
          for (Running other : running.values()) {
            if (end - other.startNanos >= other.hedgeDelayNanos) {
              other.server.recordFailure(end);
            }
            other.exchange.cancel();
            attempts.add(new Attempt(qname, type.code, other.server.address, Outcome.CANCELLED,
                other.startNanos - lookupStart, end - other.startNanos, false));
          }
          running.clear();
          return new Result(o, d.reply.message(), r.server.address);
        }
        lastFailure = o;
        nextHedgeAt = end; // a fast failure hands over to the next server at once
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Outcome.CANCELLED, null, null);
    } finally {
      for (Running r : running.values()) r.exchange.cancel();
    }
  }

  private static boolean isRunning(Map<Integer, Running> running, ServerHealth s) {
    for (Running r : running.values()) {
      if (r.server == s) return true;
    }
    return false;
  }

  /** clamp(hedgeFactor x srtt, hedgeFloorMs, timeoutMs), in nanoseconds. */
  private static long hedgeDelayNanos(ServerHealth s, ResolverConfig cfg) {
    double ms = cfg.hedgeFactor() * s.srttMs(cfg.initialRttMs());
    ms = Math.max(cfg.hedgeFloorMs(), Math.min(ms, cfg.timeoutMs()));
    return (long) (ms * 1_000_000L);
  }

  /** Healthy servers (configuration order, or rotated), then demoted ones, fewest failures first. */
  private List<ServerHealth> order(State st) {
    ResolverConfig cfg = st.config();
    long now = nanoClock.getAsLong();
    List<ServerHealth> healthy = new ArrayList<>();
    List<ServerHealth> demoted = new ArrayList<>();
    for (ServerHealth h : st.servers()) {
      (h.demoted(now, cfg.demoteMs()) ? demoted : healthy).add(h);
    }
    if (cfg.rotate() && healthy.size() > 1) {
      int k = Math.floorMod(rotation.getAndIncrement(), healthy.size());
      List<ServerHealth> rotated = new ArrayList<>(healthy.subList(k, healthy.size()));
      rotated.addAll(healthy.subList(0, k));
      healthy = rotated;
    }
    demoted.sort(Comparator.comparingInt(ServerHealth::failures).thenComparingInt(h -> h.index));
    healthy.addAll(demoted);
    return healthy;
  }

  // ---------------------------------------------------------------- background

  private void probeDemoted() {
    try {
      State st = state;
      ResolverConfig cfg = st.config();
      long now = nanoClock.getAsLong();
      for (ServerHealth h : st.servers()) {
        if (!h.demoted(now, cfg.demoteMs())) continue;
        queries.execute(() -> probe(h, cfg));
      }
    } catch (RuntimeException e) {
      // never let the scheduled task die
    }
  }

  private void probe(ServerHealth h, ResolverConfig cfg) {
    try {
      Message q = Message.newQuery(Record.newRecord(Name.fromString(PROBE_NAME), Type.NS, DClass.IN));
      long start = System.nanoTime();
      Exchange.Reply r = new Exchange(h.address, q).run(Math.min(cfg.timeoutMs(), 2_000), cfg.useVc());
      if (r.outcome().isFinal()) {
        h.recordSuccess(System.nanoTime() - start);
      } else {
        h.recordFailure(nanoClock.getAsLong());
      }
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private void maybeReload() {
    if (resolvConfPath == null) return;
    long now = System.nanoTime();
    if (now - nextReloadCheckNanos < 0) return;
    synchronized (this) {
      if (now - nextReloadCheckNanos < 0) return;
      nextReloadCheckNanos = now + RELOAD_CHECK_NANOS;
      try {
        FileTime mtime = Files.getLastModifiedTime(resolvConfPath);
        long size = Files.size(resolvConfPath);
        if (mtime.equals(loadedMtime) && size == loadedSize) return;
        ResolverConfig cfg = ResolvConf.read(resolvConfPath, tuning.copy());
        loadedMtime = mtime;
        loadedSize = size;
        state = newState(cfg, state.servers());
      } catch (IOException | RuntimeException e) {
        // keep the last good configuration
      }
    }
  }

  /** Forces the next lookup to check the resolv.conf file (tests). */
  void checkResolvConfNow() {
    nextReloadCheckNanos = System.nanoTime();
  }

  @Override
  public void close() {
    if (prober != null) prober.shutdownNow();
    queries.shutdownNow();
  }

  @Override
  public String toString() {
    return "KaiwareResolver" + state.config().nameservers().toString().toLowerCase(Locale.ROOT);
  }
}
