package io.kaiware.dns.cli;

import io.kaiware.dns.resolver.Attempt;
import io.kaiware.dns.resolver.DnsAnswer;
import io.kaiware.dns.resolver.HostsFile;
import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.resolver.ResolvConf;
import io.kaiware.dns.resolver.ResolverConfig;
import io.kaiware.dns.select.AddressPolicy;
import io.kaiware.dns.select.AddressSelector;
import io.kaiware.dns.select.Rfc6724;
import io.kaiware.dns.select.SourceLookup;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kaiware dns NAME}: what every nameserver answers and how fast, the answer as received,
 * and why each address lands where it does under each selection policy. Prints to picocli's
 * output writer; exit code 0 when at least one address was found, 1 otherwise, 2 on bad input.
 */
@Command(name = "dns", mixinStandardHelpOptions = true,
    description = {"Resolve NAME like a Kaiware client would, and explain the result:",
        "each nameserver's answer time or failure, the answer as received, and for each address its",
        "source, scope, label, precedence, common prefix length, deciding rule and rank per policy."})
public class DnsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Host name to resolve.")
  String name;

  @Option(names = "--resolv-conf", paramLabel = "PATH", defaultValue = "/etc/resolv.conf",
      description = "resolv.conf to use (default: ${DEFAULT-VALUE}).")
  Path resolvConf;

  @Option(names = "--policy", paramLabel = "P", defaultValue = "rfc6724",
      description = "Selection policy: rfc6724, rfc6724-strict, glibc, random, round-robin (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--source", paramLabel = "ADDR",
      description = "Pretend the host's source address is ADDR (default: ask the kernel).")
  String source;

  @Option(names = "--hosts", paramLabel = "PATH", defaultValue = "/etc/hosts",
      description = "Hosts file consulted before DNS, as glibc and the JVM do (default: ${DEFAULT-VALUE}).")
  Path hostsFile;

  @Option(names = "--no-hosts", description = "Skip the hosts file: always ask the nameservers.")
  boolean noHosts;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the random policy (default: ${DEFAULT-VALUE}).")
  long seed;

  public DnsCommand() {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    AddressPolicy chosen;
    SourceLookup sources;
    ResolverConfig config;
    try {
      chosen = AddressPolicy.parse(policy);
      sources = source == null ? SourceLookup.kernel() : SourceLookup.fixed(List.of(literal(source)));
      config = ResolvConf.read(resolvConf, ResolverConfig.builder().probeIntervalMs(0));
    } catch (Exception e) {
      spec.commandLine().getErr().println("kaiware dns: " + e.getMessage());
      return 2;
    }

    out.printf("resolv.conf %s: timeout %d ms, attempts %d, ndots %d, search %s%s%n", resolvConf,
        config.timeoutMs(), config.attempts(), config.ndots(), config.search(),
        (config.rotate() ? ", rotate" : "") + (config.useVc() ? ", use-vc" : "")
            + (config.singleRequest() ? ", single-request" : ""));

    List<InetAddress> fromHosts = noHosts ? List.of() : new HostsFile(hostsFile).lookup(name);
    if (!fromHosts.isEmpty()) {
      out.println();
      out.printf("Hosts file %s: %s%n", hostsFile, fromHosts.stream().map(InetAddress::getHostAddress).toList());
      out.println("  (answered from the hosts file: no nameserver is asked; --no-hosts asks them anyway)");
      out.println();
      printSelection(out, fromHosts, chosen, sources);
      out.println();
      out.printf("Total time: %.1f ms%n", (System.nanoTime() - start) / 1e6);
      out.flush();
      return 0;
    }

    out.println();
    out.println("Nameservers (each asked alone for A, one attempt):");
    for (String line : probeEach(config)) out.println("  " + line);

    out.println();
    out.println("Lookup (hedged, as a Kaiware client does):");
    List<InetAddress> addresses = new ArrayList<>();
    try (KaiwareResolver resolver = KaiwareResolver.create(config)) {
      for (DnsAnswer a : resolver.lookupAll(name, true, true)) {
        out.printf("  %-4s %s via %s in %.1f ms%s%n", a.type(), a.outcome(),
            a.server() == null ? "-" : hostPort(a.server()), a.elapsedNanos() / 1e6,
            a.answeredName() == null ? "" : " (" + a.answeredName() + ")");
        for (Attempt at : a.attempts()) {
          out.printf("       attempt %-22s %-10s +%.1f ms, took %.1f ms%s%n", hostPort(at.server()), at.outcome(),
              at.startedAfterNanos() / 1e6, at.elapsedNanos() / 1e6, at.overTcp() ? " (TCP)" : "");
        }
        for (String r : a.records()) out.println("       " + r);
        addresses.addAll(a.addresses());
      }
    }

    out.println();
    if (addresses.isEmpty()) {
      out.println("No addresses.");
    } else {
      printSelection(out, addresses, chosen, sources);
    }
    out.println();
    out.printf("Total time: %.1f ms%n", (System.nanoTime() - start) / 1e6);
    out.flush();
    return addresses.isEmpty() ? 1 : 0;
  }

  private List<String> probeEach(ResolverConfig config) throws Exception {
    List<String> lines = new ArrayList<>();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> futures = new ArrayList<>();
      for (InetSocketAddress ns : config.nameservers()) {
        ResolverConfig one = config.toBuilder().nameservers(List.of(ns)).search(config.search()).attempts(1)
            .lookupDeadlineMs(config.timeoutMs()).staleMaxSeconds(0).build();
        futures.add(ex.submit(() -> {
          try (KaiwareResolver r = KaiwareResolver.create(one)) {
            DnsAnswer a = r.lookup(name, io.kaiware.dns.resolver.RecordType.A);
            String what = a.outcome().isFinal() ? "answered " + a.outcome() : "failed " + a.outcome();
            return String.format(Locale.ROOT, "%-24s %s in %.1f ms", hostPort(ns), what, a.elapsedNanos() / 1e6);
          }
        }));
      }
      for (Future<String> f : futures) lines.add(f.get());
    }
    return lines;
  }

  private void printSelection(PrintWriter out, List<InetAddress> addresses, AddressPolicy chosen, SourceLookup sources) {
    Map<AddressPolicy, List<InetAddress>> orders = new EnumMap<>(AddressPolicy.class);
    for (AddressPolicy p : AddressPolicy.values()) {
      orders.put(p, new AddressSelector(p, sources, seed).order(name, addresses));
    }
    List<InetAddress> order = orders.get(chosen);
    List<Rfc6724.Ranked> ranked = new AddressSelector(chosen, sources, seed).explain(addresses);
    out.printf("Addresses in %s order:%n", chosen.id());
    for (int i = 0; i < order.size(); i++) {
      InetAddress a = order.get(i);
      Rfc6724.Ranked r = ranked.stream().filter(x -> x.address().equals(a)).findFirst().orElseThrow();
      String rule = switch (chosen) {
        case RANDOM -> "shuffle (seed " + seed + ")";
        case ROUND_ROBIN -> "round-robin offset";
        default -> r.decidedBy();
      };
      StringBuilder ranks = new StringBuilder();
      for (AddressPolicy p : AddressPolicy.values()) {
        ranks.append(' ').append(p.id()).append('=').append(orders.get(p).indexOf(a) + 1);
      }
      out.printf("  %d. %s%n", i + 1, a.getHostAddress());
      out.printf("     source %s, scope %s, label %d, precedence %d, common prefix %d bits%n",
          r.source() == null ? "none (unusable)" : r.source().getHostAddress(), scopeName(r.scope()), r.label(),
          r.precedence(), r.commonPrefixLen());
      out.printf("     decided by %s; rank:%s%n", rule, ranks);
    }
  }

  private static String scopeName(int scope) {
    return switch (scope) {
      case Rfc6724.SCOPE_LINK_LOCAL -> "link-local(2)";
      case Rfc6724.SCOPE_SITE_LOCAL -> "site-local(5)";
      case Rfc6724.SCOPE_GLOBAL -> "global(14)";
      default -> "scope(" + scope + ")";
    };
  }

  private static String hostPort(InetSocketAddress a) {
    String h = a.getAddress().getHostAddress();
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
  }

  private static InetAddress literal(String s) throws java.net.UnknownHostException {
    if (!s.matches("[0-9a-fA-F:.%]+")) throw new IllegalArgumentException("--source must be an IP literal: " + s);
    return InetAddress.getByName(s);
  }
}
