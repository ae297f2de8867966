package io.kaiware.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.bench.load.FakeRespServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BenchCommandTest {
    private record Outcome(int exitCode, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new BenchCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void fixedRateRunPrintsTheReport() throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            Outcome o = run("--port", String.valueOf(server.port()), "--rate", "500", "--duration", "1s", "--connections", "2",
                    "--command", "get:90,set:10", "--pid", "-1");
            assertThat(o.exitCode()).as(o.err()).isZero();
            assertThat(o.out()).contains("Count: 500   Failed: 0   Success: 100.00%", "Rate: 500.0/s (30000/min)",
                    "P99.9", "STDDEV", "< 1 µs", "< 10 s", ">= 10 s", "get:90,set:10");
            assertThat(o.err()).isEmpty(); // no console: no progress line
        }
    }

    @Test
    void jsonFormatAndOutputFiles(@TempDir Path dir) throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            Outcome o = run("--port", String.valueOf(server.port()), "--rate", "400", "--duration", "500ms", "--connections", "2",
                    "--format", "json", "--out", dir.toString(), "--memory-interval", "100ms",
                    "--pid", String.valueOf(ProcessHandle.current().pid()));
            assertThat(o.exitCode()).as(o.err()).isZero();
            assertThat(o.out()).startsWith("{\"runs\":[{").contains("\"count\":200", "\"memory\":{\"pid\":");
            assertThat(dir.resolve("target-timeline.csv")).exists();
            assertThat(Files.readString(dir.resolve("target-memory-p99.svg"))).startsWith("<svg");
            assertThat(Files.readString(dir.resolve("report.csv"))).startsWith("name,address");
        }
    }

    @Test
    void compareModeRunsEachTargetAndPrintsRatios() throws Exception {
        try (FakeRespServer a = new FakeRespServer(); FakeRespServer b = new FakeRespServer()) {
            Outcome o = run("--target", "one=127.0.0.1:" + a.port(), "--target", "two=127.0.0.1:" + b.port(),
                    "--rate", "300", "--duration", "500ms", "--connections", "2", "--format", "text");
            assertThat(o.exitCode()).as(o.err()).isZero();
            assertThat(o.out()).contains("== one 127.0.0.1:" + a.port(), "== two 127.0.0.1:" + b.port(), "two/one");
            assertThat(a.commands()).isEqualTo(150 + 2);
            assertThat(b.commands()).isEqualTo(150 + 2);

            Outcome csv = run("--target", "one=127.0.0.1:" + a.port(), "--target", "two=127.0.0.1:" + b.port(),
                    "--rate", "300", "--duration", "200ms", "--connections", "1", "--format", "csv");
            assertThat(csv.out().split("\n")).hasSize(3);
        }
    }

    @Test
    void targetNamesAreResolvedThroughKaiwareDns() throws Exception {
        try (FakeRespServer server = new FakeRespServer()) {
            Outcome o = run("--target", "local=localhost:" + server.port(), "--rate", "200", "--duration", "200ms",
                    "--connections", "1", "--pid", "-1");
            assertThat(o.exitCode()).as(o.err()).isZero();
            // localhost comes from /etc/hosts, as glibc would do it, before any nameserver is asked.
            assertThat(o.err()).contains("resolved localhost -> 127.0.0.1 (kaiware-dns)");
            assertThat(server.commands()).isGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void deadServerGivesAPartialReportAndExitCode1() throws Exception {
        FakeRespServer server = new FakeRespServer();
        server.dieAfter(2 + 100);
        Outcome o = run("--port", String.valueOf(server.port()), "--rate", "200", "--duration", "30s", "--connections", "2",
                "--template", "LRANGE list 0 -1");
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.out()).contains("ABORTED:", "closed by the server", "(partial report)", "Count: ");
    }

    @Test
    void badArgumentsExitWith2() {
        assertThat(run("--format", "xml").exitCode()).isEqualTo(2);
        assertThat(run("--duration", "soon").exitCode()).isEqualTo(2);
        assertThat(run("--target", "nohostport").exitCode()).isEqualTo(2);
        assertThat(run("--command", "frob").err()).contains("unknown --command");
        assertThat(run("--no-such-option").exitCode()).isEqualTo(2);
    }

    @Test
    void helpWorks() {
        Outcome o = run("--help");
        assertThat(o.exitCode()).isZero();
        assertThat(o.out()).contains("--rate", "--pipeline", "--template", "--memory-interval", "coordinated-omission");
    }
}
