package io.kaiware.dns.bench;

import io.kaiware.dns.resolver.FakeDnsServer;
import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.resolver.ResolverConfig;
import io.kaiware.dns.resolver.ServerStatus;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lookup latency with the first of three nameservers silent: kaiware-dns, the JDK's
 * {@code InetAddress} (glibc {@code getaddrinfo}) and Netty's {@code DnsNameResolver}, side by side,
 * each on names never looked up before (no cache helps).
 *
 * <p>Run it with {@code bench/dns-lookup.sh}, which starts it inside a fresh network namespace whose
 * {@code /etc/resolv.conf} (bind-mounted by {@code ip netns exec} from
 * {@code /etc/netns/NAME/resolv.conf}) lists 127.0.0.2, 127.0.0.3 and 127.0.0.4. This program binds
 * the fake nameservers there on port 53: 127.0.0.2 receives and never answers, the other two answer
 * every {@code nNNNN.bench.test} with one A record (NODATA for AAAA, as for an IPv4-only cache). All
 * three resolvers read the same resolv.conf with their default settings.
 *
 * <p>Each lookup asks for every address (A and AAAA). The JDK and Netty stall ~5 s per lookup, so
 * they get fewer names ({@code --slow-names}), looked up by {@code --slow-threads} threads at once to
 * bound the run; each lookup is timed on its own (the threads wait on timers, not on the CPU).
 * kaiware-dns looks up its names one after the other from a single thread.
 *
 * <p>The fake servers run in this JVM, so a warm-up ({@code --warmup-names}) first runs the code
 * paths on other names through a throwaway resolver; see {@link #warmUp}.
 *
 * <p>Arguments: {@code --names N} (1000), {@code --slow-names N} (40), {@code --slow-threads N} (8),
 * {@code --warmup-names N} (300), {@code --resolv-conf PATH} (/etc/resolv.conf), {@code --skip-slow}.
 */
public final class DnsLookupBenchmark {
  private DnsLookupBenchmark() {}

  public static void main(String[] args) throws Exception {
    int names = 1000;
    int slowNames = 40;
    int slowThreads = 8;
    int warmupNames = 300;
    boolean skipSlow = false;
    Path resolvConf = Path.of("/etc/resolv.conf");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--names" -> names = Integer.parseInt(args[++i]);
        case "--slow-names" -> slowNames = Integer.parseInt(args[++i]);
        case "--slow-threads" -> slowThreads = Integer.parseInt(args[++i]);
        case "--resolv-conf" -> resolvConf = Path.of(args[++i]);
        case "--warmup-names" -> warmupNames = Integer.parseInt(args[++i]);
        case "--skip-slow" -> skipSlow = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    System.out.println("resolv.conf (" + resolvConf + "):");
    Files.readAllLines(resolvConf).forEach(l -> System.out.println("  " + l));

    int total = names + 2 * slowNames + warmupNames;
    List<FakeDnsServer> servers = List.of(
        new FakeDnsServer("127.0.0.2", 53, FakeDnsServer.Mode.SILENT),
        new FakeDnsServer("127.0.0.3", 53, FakeDnsServer.Mode.ANSWER),
        new FakeDnsServer("127.0.0.4", 53, FakeDnsServer.Mode.ANSWER));
    for (int i = 0; i < total; i++) {
      for (FakeDnsServer s : servers) s.add(name(i), "10.77." + (i >> 8) + "." + (i & 255));
    }
    // Names 0..names-1 for kaiware-dns, then slowNames each for the JDK and Netty: all distinct.
    List<String> rows = new ArrayList<>();
    try {
      warmUp(servers, names + 2 * slowNames, warmupNames);
      rows.add(kaiware(resolvConf, 0, names));
      if (!skipSlow) {
        rows.add(jdk(names, slowNames, slowThreads));
        rows.add(netty(names + slowNames, slowNames, slowThreads));
      }
    } finally {
      for (FakeDnsServer s : servers) s.close();
    }
    System.out.println();
    System.out.println("| resolver | lookups | failed | p50 | p99 | max |");
    System.out.println("|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.printf("silent server 127.0.0.2 received %d queries%n", servers.get(0).udpQueries());
    System.exit(0);
  }

  private static String name(int i) {
    return String.format(Locale.ROOT, "n%05d.bench.test", i);
  }

  /**
   * Warms up the code, not the state: JIT and class loading of dnsjava, the resolver and the fake
   * servers (all in this JVM), through a throwaway resolver that knows only the two answering
   * servers. The measured resolver starts afterwards with no health knowledge, so its first lookup
   * still meets the silent server first and pays the hedge delay.
   */
  private static void warmUp(List<FakeDnsServer> servers, int first, int count) throws Exception {
    if (count == 0) return;
    ResolverConfig cfg = ResolverConfig.builder()
        .nameservers(List.of(servers.get(1).address(), servers.get(2).address())).probeIntervalMs(0).build();
    long start = System.nanoTime();
    try (KaiwareResolver r = KaiwareResolver.create(cfg)) {
      for (int i = 0; i < count; i++) r.resolveAll(name(first + i));
    }
    System.out.printf("warm-up: %d lookups of other names through the answering servers only, %.1f s%n", count,
        (System.nanoTime() - start) / 1e9);
  }

  private static String kaiware(Path resolvConf, int first, int count) throws Exception {
    try (KaiwareResolver r = KaiwareResolver.fromResolvConf(resolvConf, ResolverConfig.builder())) {
      long[] nanos = new long[count];
      int failed = 0;
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        try {
          r.resolveAll(name(first + i));
        } catch (UnknownHostException e) {
          failed++;
        }
        nanos[i] = System.nanoTime() - start;
      }
      System.out.printf("kaiware-dns: first lookup %.1f ms; servers after the run:%n", nanos[0] / 1e6);
      for (ServerStatus s : r.servers()) {
        System.out.printf("  %s srtt %.2f ms, demoted %s, queries %d, failures %d%n", s.address(), s.srttMs(),
            s.demoted(), s.queries(), s.failuresTotal());
      }
      return row("kaiware-dns (hedged, health-ordered)", nanos, failed);
    }
  }

  private static String jdk(int first, int count, int threads) throws Exception {
    return timedConcurrently("JDK InetAddress.getAllByName (glibc)", first, count, threads, n -> {
      InetAddress.getAllByName(n);
      return null;
    });
  }

  private static String netty(int first, int count, int threads) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      DnsNameResolver resolver = new DnsNameResolverBuilder(group.next())
          .datagramChannelType(NioDatagramChannel.class)
          .nameServerProvider(DnsServerAddressStreamProviders.platformDefault())
          .build();
      try {
        return timedConcurrently("Netty DnsNameResolver.resolveAll", first, count, threads, n -> {
          resolver.resolveAll(n).get(60, TimeUnit.SECONDS);
          return null;
        });
      } finally {
        resolver.close();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }

  private interface Lookup {
    Void run(String name) throws Exception;
  }

  private static String timedConcurrently(String label, int first, int count, int threads, Lookup lookup)
      throws Exception {
    long[] nanos = new long[count];
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    long wallStart = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < count; ) {
            long start = System.nanoTime();
            try {
              lookup.run(name(first + i));
            } catch (Exception e) {
              failed.incrementAndGet();
            }
            nanos[i] = System.nanoTime() - start;
          }
          return null;
        }));
      }
      for (Future<?> f : fs) f.get();
    }
    System.out.printf("%s: %d lookups on %d threads in %.1f s%n", label, count, threads,
        (System.nanoTime() - wallStart) / 1e9);
    return row(label, nanos, failed.get());
  }

  /** Nearest-rank percentiles. */
  private static String row(String label, long[] nanos, int failed) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s |", label, s.length, failed,
        ms(percentile(s, 0.50)), ms(percentile(s, 0.99)), ms(s[s.length - 1]));
  }

  private static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static String ms(long nanos) {
    double ms = nanos / 1e6;
    return ms >= 100 ? String.format(Locale.ROOT, "%,.0f ms", ms) : String.format(Locale.ROOT, "%.2f ms", ms);
  }
}
