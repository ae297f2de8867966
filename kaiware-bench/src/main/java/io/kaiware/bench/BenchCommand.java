package io.kaiware.bench;

import io.kaiware.bench.load.KeyDistribution;
import io.kaiware.bench.load.LoadRun;
import io.kaiware.bench.load.LoadSettings;
import io.kaiware.bench.load.RunResult;
import io.kaiware.bench.load.Workload;
import io.kaiware.bench.memory.ListeningPid;
import io.kaiware.bench.memory.ProcessMemory;
import io.kaiware.bench.report.Reports;
import io.kaiware.bench.report.SvgChart;
import io.kaiware.dns.resolver.HostsFile;
import io.kaiware.dns.resolver.KaiwareResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kaiware bench}: a load generator for any Redis-compatible server. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Load generator for Redis-compatible servers: fixed-rate (open loop, coordinated-omission corrected) or",
            "max-throughput (closed loop) runs, full latency distributions, server memory over time, side-by-side comparisons.",
            "",
            "Examples:",
            "  kaiware bench --port 6379 --rate 2500 --duration 10m --command set --keys 100000 --value-size 32",
            "  kaiware bench --target kaiware=127.0.0.1:6379 --target redis=127.0.0.1:16379 --rate 2500 --duration 60s",
            "  kaiware bench --port 6379 --connections 50 --pipeline 16 --duration 10s          (closed loop)",
            "  kaiware bench --port 6379 --rate 1000 --template \"ZINCRBY board 1 member:__key__\" --key-distribution zipf"},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:completed", "1:a run was aborted (dead server, cannot connect); partial report printed", "2:invalid arguments"})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "6379", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--target", paramLabel = "NAME=HOST:PORT",
            description = "Compare mode: a target to run against; repeat for two or more. Runs one after another with the same schedule.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--rate", paramLabel = "PER_SECOND",
            description = "Open loop: requests per second over all connections, on a fixed timetable. Omit for closed-loop max throughput.")
    Double rate;

    @Option(names = "--duration", defaultValue = "10s", description = "Measured duration after warm-up, e.g. 500ms, 60s, 10m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "0s", description = "Warm-up before measuring; excluded from the report (default: ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = {"-c", "--connections"}, defaultValue = "50", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-P", "--pipeline"}, defaultValue = "1", description = "Requests in flight per connection at most (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--threads", description = "I/O threads (event loops) (default: 1, which measured fastest on 2 cores next to the server).")
    Integer threads;

    @Option(names = "--command", defaultValue = "set",
            description = "set, get, incr, ping, or a mix with weights such as get:90,set:10 (default: ${DEFAULT-VALUE}).")
    String command;

    @Option(names = "--template",
            description = "Arbitrary command; __key__ and __value__ are replaced per request, e.g. \"ZINCRBY board 1 member:__key__\".")
    String template;

    @Option(names = "--keys", defaultValue = "100000", description = "Key space size (default: ${DEFAULT-VALUE}).")
    long keys;

    @Option(names = "--key-distribution", defaultValue = "sequential", description = "sequential, uniform or zipf (default: ${DEFAULT-VALUE}).")
    String keyDistribution;

    @Option(names = "--zipf-theta", defaultValue = "0.99", description = "Zipf skew in (0,1) (default: ${DEFAULT-VALUE}).")
    double zipfTheta;

    @Option(names = "--key-prefix", defaultValue = "key:", description = "Prefix of the built-in commands' keys (default: ${DEFAULT-VALUE}).")
    String keyPrefix;

    @Option(names = "--value-size", defaultValue = "32", description = "Value bytes: fixed (32) or uniform in a range (16-1024) (default: ${DEFAULT-VALUE}).")
    String valueSize;

    @Option(names = "--timeout", defaultValue = "5s", description = "A request without reply this long after it was sent fails as 'timeout' (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--format", defaultValue = "text", description = "text, json or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "DIR", description = "Write NAME-timeline.csv and NAME-memory-p99.svg (and the report) into DIR.")
    Path out;

    @Option(names = "--pid", description = "Server process whose memory to sample, single target only (default, and in compare mode: the local process listening on the target port, if found).")
    Long pid;

    @Option(names = "--memory-interval", defaultValue = "5s", description = "Memory sampling interval (default: ${DEFAULT-VALUE}).")
    String memoryInterval;

    @Option(names = "--progress-interval", defaultValue = "1s", description = "Timeline and progress interval (default: ${DEFAULT-VALUE}).")
    String progressInterval;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed for keys, values and command mix (default: ${DEFAULT-VALUE}).")
    long seed;

    public BenchCommand() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    private record Target(String name, String host, int port) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        LoadSettings base;
        List<Target> runTargets;
        String fmt = format.toLowerCase(Locale.ROOT);
        try {
            if (!List.of("text", "json", "csv").contains(fmt)) throw new IllegalArgumentException("--format must be text, json or csv");
            if (rate != null && !(rate > 0)) throw new IllegalArgumentException("--rate must be > 0 (omit it for closed loop)");
            KeyDistribution dist = KeyDistribution.parse(keyDistribution, keys, zipfTheta);
            Workload workload = Workload.parse(command, template, dist, keyPrefix, valueSize);
            int ioThreads = threads != null ? threads : 1;
            ioThreads = Math.min(ioThreads, connections);
            base = new LoadSettings("target", host, port, rate == null ? 0 : rate, Durations.parseNs(duration),
                    Durations.parseNs(warmup), connections, pipeline, ioThreads, Durations.parseNs(timeout),
                    Durations.parseNs(progressInterval), Durations.parseNs(memoryInterval), seed, workload);
            runTargets = resolveTargets(parseTargets(), stderr);
        } catch (IllegalArgumentException e) {
            stderr.println("kaiware bench: " + e.getMessage());
            stderr.flush();
            return 2;
        }

        boolean live = isTerminal() && fmt.equals("text");
        List<RunResult> results = new ArrayList<>();
        for (Target t : runTargets) {
            LoadSettings s = base.withTarget(t.name(), t.host(), t.port());
            ProcessMemory memory = memoryOf(t, runTargets.size() == 1);
            if (live) {
                stderr.printf(Locale.ROOT, "running %s %s for %s%s ...%n", t.name(), s.address(), Durations.format(s.durationNs()),
                        s.warmupNs() > 0 ? " after " + Durations.format(s.warmupNs()) + " warm-up" : "");
                stderr.flush();
            }
            RunResult r = new LoadRun(s, memory, live ? progress(stderr) : null).run();
            if (live) {
                stderr.print("\r\033[K");
                stderr.flush();
            }
            results.add(r);
            if (fmt.equals("text")) {
                stdout.println(Reports.text(r));
                stdout.flush();
            }
        }
        switch (fmt) {
            case "json" -> stdout.print(Reports.json(results));
            case "csv" -> stdout.print(Reports.csv(results));
            default -> {
                if (results.size() > 1) stdout.println(Reports.compare(results));
            }
        }
        stdout.flush();
        if (out != null) writeFiles(results, stderr);
        return results.stream().anyMatch(RunResult::aborted) ? 1 : 0;
    }

    private List<Target> parseTargets() {
        List<Target> list = new ArrayList<>();
        if (targets.isEmpty()) {
            list.add(new Target("target", host, port));
            return list;
        }
        for (String spec : targets) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? null : spec.substring(0, eq).trim();
            String addr = spec.substring(eq + 1).trim();
            int colon = addr.lastIndexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("bad --target '" + spec + "' (expected NAME=HOST:PORT)");
            String h = addr.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
            int p;
            try {
                p = Integer.parseInt(addr.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in --target '" + spec + "'");
            }
            if (name == null || name.isEmpty()) name = addr;
            if (!name.matches("[A-Za-z0-9._:-]+")) throw new IllegalArgumentException("bad target name '" + name + "' (letters, digits, . _ - :)");
            list.add(new Target(name, h, p));
        }
        return list;
    }

    /**
     * Resolves every target host once, before the run, through kaiware-dns: the hosts file, then
     * /etc/resolv.conf with hedged queries (a dead first nameserver costs a hedge delay, not 5 s).
     * Connections then dial the address; the target keeps its name in reports.
     */
    private static List<Target> resolveTargets(List<Target> targets, PrintWriter stderr) {
        List<Target> out = new ArrayList<>();
        KaiwareResolver resolver = null;
        try {
            for (Target t : targets) {
                String h = t.host();
                if (isIpLiteral(h)) {
                    out.add(t);
                    continue;
                }
                List<InetAddress> found = HostsFile.system().lookup(h);
                if (found.isEmpty()) {
                    if (resolver == null) resolver = KaiwareResolver.system();
                    found = resolver.resolveAll(h);
                }
                // Same preference as the JDK's default (java.net.preferIPv6Addresses=false): IPv4 first.
                InetAddress chosen = found.stream().filter(a -> a instanceof java.net.Inet4Address).findFirst()
                        .orElse(found.get(0));
                stderr.printf(Locale.ROOT, "resolved %s -> %s (kaiware-dns)%n", h, chosen.getHostAddress());
                stderr.flush();
                out.add(new Target(t.name(), chosen.getHostAddress(), t.port()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve target: " + e.getMessage(), e);
        } finally {
            if (resolver != null) resolver.close();
        }
        return out;
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") && host.chars().filter(c -> c == '.').count() == 3 || host.indexOf(':') >= 0;
    }

    private ProcessMemory memoryOf(Target t, boolean single) {
        if (pid != null && single) return ProcessMemory.of(pid);
        if (!isLocal(t.host())) return null;
        OptionalLong found = ListeningPid.find(t.port());
        return found.isPresent() ? ProcessMemory.of(found.getAsLong()) : null;
    }

    /**
     * Whether stdout is a terminal: {@code System.console() != null}, and on JDK 22+, where a
     * console may exist without a terminal, also {@code Console.isTerminal()} (called reflectively:
     * this module targets release 21).
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }

    private static boolean isLocal(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The live line on a terminal: rate of the last interval, p99 so far, errors so far. */
    private static LoadRun.Progress progress(PrintWriter err) {
        long[] previousElapsedMs = {0};
        return (s, measuredSoFar, failedSoFar) -> {
            double intervalS = Math.max(1e-3, (s.elapsedMs() - previousElapsedMs[0]) / 1e3);
            previousElapsedMs[0] = s.elapsedMs();
            String p99 = measuredSoFar.getTotalCount() == 0 ? "-"
                    : String.format(Locale.ROOT, "%.3f ms", measuredSoFar.getValueAtPercentile(99) / 1e6);
            err.printf(Locale.ROOT, "\r\033[K[%6.1fs]%s rate %.0f/s  p99 so far %s  last interval p99 %.3f ms  errors %d%s",
                    s.elapsedMs() / 1e3, s.warmup() ? " (warm-up)" : "", s.requests() / intervalS, p99, s.p99Ns() / 1e6, failedSoFar,
                    s.hasMemory() ? String.format(Locale.ROOT, "  private %d KB", s.privateKb()) : "");
            err.flush();
        };
    }

    private void writeFiles(List<RunResult> results, PrintWriter err) throws IOException {
        Files.createDirectories(out);
        for (RunResult r : results) {
            String name = r.settings().name().replace(':', '_');
            Files.writeString(out.resolve(name + "-timeline.csv"), Reports.timelineCsv(r));
            Files.writeString(out.resolve(name + "-memory-p99.svg"), SvgChart.render(r));
        }
        Files.writeString(out.resolve("report.json"), Reports.json(results));
        Files.writeString(out.resolve("report.csv"), Reports.csv(results));
        StringBuilder text = new StringBuilder();
        for (RunResult r : results) text.append(Reports.text(r)).append('\n');
        if (results.size() > 1) text.append(Reports.compare(results));
        Files.writeString(out.resolve("report.txt"), text);
        err.println("wrote " + out.toAbsolutePath());
        err.flush();
    }
}
