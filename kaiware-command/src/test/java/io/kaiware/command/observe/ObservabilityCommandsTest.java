package io.kaiware.command.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SLOWLOG, LATENCY and INFO latencystats as Redis 7.0 answers them (cases from tests/unit/slowlog.tcl, latency-monitor.tcl). */
class ObservabilityCommandsTest {

  private CommandHarness r;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
  }

  @Test
  void slowlogRecordsCommandsOverTheThresholdNewestFirst() {
    assertThat(r.exec("CONFIG", "SET", "slowlog-log-slower-than", "0")).isEqualTo("OK");
    r.now(1_700_000_000_123L);
    r.exec("SET", "k", "v");
    r.exec("GET", "k");
    // CONFIG SET itself was logged too, before SET and GET.
    assertThat(r.exec("SLOWLOG", "LEN")).isEqualTo(3L);

    List<?> entries = (List<?>) r.exec("SLOWLOG", "GET", "3");
    assertThat(entries).hasSize(3);
    // Like Redis, SLOWLOG's own calls are logged too: the newest entry is the SLOWLOG LEN above.
    assertThat(((List<?>) entries.get(0)).get(3)).isEqualTo(List.of("SLOWLOG", "LEN"));
    List<?> get = (List<?>) entries.get(1);
    assertThat(get).hasSize(6);
    assertThat(get.get(0)).isEqualTo(2L); // ids count up from 0
    assertThat(get.get(1)).isEqualTo(1_700_000_000L); // the command time, in seconds
    assertThat((Long) get.get(2)).isGreaterThanOrEqualTo(0L);
    assertThat(get.get(3)).isEqualTo(List.of("GET", "k"));
    assertThat(((List<?>) entries.get(2)).get(3)).isEqualTo(List.of("SET", "k", "v"));

    assertThat(r.exec("SLOWLOG", "RESET")).isEqualTo("OK");
    // RESET is logged after clearing, like Redis.
    assertThat(r.exec("SLOWLOG", "LEN")).isEqualTo(1L);
  }

  @Test
  void slowlogThresholdMaxLenAndDisabling() {
    r.exec("CONFIG", "SET", "slowlog-log-slower-than", "100000000");
    r.exec("SET", "k", "v");
    assertThat(r.exec("SLOWLOG", "LEN")).isEqualTo(0L);

    r.exec("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "3");
    for (int i = 0; i < 10; i++) {
      r.exec("SET", "k" + i, "v");
    }
    assertThat(r.exec("SLOWLOG", "LEN")).isEqualTo(3L);
    assertThat((List<?>) r.exec("SLOWLOG", "GET", "-1")).hasSize(3);

    r.exec("CONFIG", "SET", "slowlog-log-slower-than", "-1");
    r.exec("SLOWLOG", "RESET");
    r.exec("SET", "x", "y");
    assertThat(r.exec("SLOWLOG", "LEN")).isEqualTo(0L);
  }

  @Test
  void slowlogTrimsArgumentsAndRedactsPasswords() {
    r.exec("CONFIG", "SET", "slowlog-log-slower-than", "0");
    String[] many = new String[40];
    many[0] = "MSET";
    for (int i = 1; i < many.length; i++) {
      many[i] = i % 2 == 1 ? "k" + i : "x".repeat(200);
    }
    r.exec(many);
    r.exec("AUTH", "secret-password");
    List<?> entries = (List<?>) r.exec("SLOWLOG", "GET", "-1");
    List<?> auth = (List<?>) ((List<?>) entries.get(0)).get(3);
    assertThat(auth).isEqualTo(List.of("AUTH", "(redacted)"));
    List<?> mset = (List<?>) ((List<?>) entries.get(1)).get(3);
    assertThat(mset).hasSize(32);
    assertThat(mset.get(31)).isEqualTo("... (9 more arguments)");
    assertThat(mset.get(2)).isEqualTo("x".repeat(128) + "... (72 more bytes)");
  }

  @Test
  void slowlogErrors() {
    assertThat(r.exec("SLOWLOG", "GET", "-2")).isEqualTo(new Err("ERR count should be greater than or equal to -1"));
    assertThat(r.exec("SLOWLOG", "NOPE")).isEqualTo(new Err("ERR unknown subcommand 'NOPE'. Try SLOWLOG HELP."));
    assertThat(r.exec("SLOWLOG", "LEN", "x")).isEqualTo(new Err("ERR wrong number of arguments for 'slowlog|len' command"));
  }

  @Test
  void latencyMonitorRecordsSlowCommandsAndResets() {
    r.exec("CONFIG", "SET", "latency-monitor-threshold", "50");
    r.now(1_700_000_000_000L);
    r.exec("DEBUG", "SLEEP", "0.06");
    List<?> latest = (List<?>) r.exec("LATENCY", "LATEST");
    assertThat(latest).hasSize(1);
    List<?> event = (List<?>) latest.get(0);
    assertThat(event.get(0)).isEqualTo("command");
    assertThat(event.get(1)).isEqualTo(1_700_000_000L);
    assertThat((Long) event.get(2)).isGreaterThanOrEqualTo(60L);
    assertThat(event.get(3)).isEqualTo(event.get(2));

    List<?> history = (List<?>) r.exec("LATENCY", "HISTORY", "command");
    assertThat(history).hasSize(1);
    assertThat(r.exec("LATENCY", "HISTORY", "no-such-event")).isEqualTo(List.of());
    assertThat(r.exec("LATENCY", "RESET", "command")).isEqualTo(1L);
    assertThat(r.exec("LATENCY", "LATEST")).isEqualTo(List.of());
  }

  @Test
  void latencyMonitorOffRecordsNothing() {
    r.exec("CONFIG", "SET", "latency-monitor-threshold", "0");
    r.exec("DEBUG", "SLEEP", "0.01");
    assertThat(r.exec("LATENCY", "LATEST")).isEqualTo(List.of());
    assertThat((String) r.exec("LATENCY", "DOCTOR")).contains("latency monitor is off");
  }

  @Test
  void infoLatencystatsAndHistogramCountEveryCall() {
    for (int i = 0; i < 5; i++) {
      r.exec("SET", "k", "v");
    }
    String info = (String) r.exec("INFO", "latencystats");
    assertThat(info).startsWith("# Latencystats\r\n")
        .containsPattern("latency_percentiles_usec_set:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}\r\n");

    List<?> histogram = (List<?>) r.exec("LATENCY", "HISTOGRAM", "set");
    // RESP2 map: [name, [calls, n, histogram_usec, [bucket, cumulative ...]]]
    assertThat(histogram.get(0)).isEqualTo("set");
    List<?> body = (List<?>) histogram.get(1);
    assertThat(body.subList(0, 2)).isEqualTo(List.of("calls", 5L));
    List<?> buckets = (List<?>) body.get(3);
    assertThat(buckets.get(buckets.size() - 1)).isEqualTo(5L);

    // Redis's latency-monitor.tcl "LATENCY HISTOGRAM sub commands": a container names its subcommands.
    r.exec("CLIENT", "ID");
    r.exec("CLIENT", "GETNAME");
    List<?> client = (List<?>) r.exec("LATENCY", "HISTOGRAM", "client");
    assertThat(List.of(client.get(0), client.get(2))).containsExactlyInAnyOrder("client|id", "client|getname");
    assertThat(client).hasSize(4);
    assertThat(((List<?>) r.exec("LATENCY", "HISTOGRAM", "client|id"))).hasSize(2);

    r.exec("CONFIG", "SET", "latency-tracking-info-percentiles", "90");
    assertThat((String) r.exec("INFO", "latencystats")).containsPattern("latency_percentiles_usec_set:p90=\\d+\\.\\d{3}\r\n");

    r.exec("CONFIG", "RESETSTAT");
    assertThat((String) r.exec("INFO", "latencystats")).doesNotContain("usec_set:");
  }

  @Test
  void errorstatsCountEveryErrorReplyByKind() {
    r.exec("SET", "s", "v");
    r.exec("INCR", "s");                       // ERR, thrown by the handler
    r.exec("NOSUCHCOMMAND");                   // ERR, rejected before running
    r.exec("SET", "h", "v");
    r.exec("GET", "s", "extra");               // ERR, arity
    r.exec("DEBUG", "OBJECT", "missing");      // ERR, written by the handler without throwing
    r.exec("RESTORE", "s", "0", "payload");    // BUSYKEY
    r.exec("MULTI");
    r.exec("INCR", "s");
    r.exec("EXEC");                            // EXEC's array is fine; the INCR inside is an ERR
    String info = (String) r.exec("INFO", "errorstats");
    assertThat(info).isEqualTo("# Errorstats\r\nerrorstat_BUSYKEY:count=1\r\nerrorstat_ERR:count=5\r\n");
    assertThat((String) r.exec("INFO", "stats")).contains("total_error_replies:6\r\n");
    r.exec("CONFIG", "RESETSTAT");
    assertThat((String) r.exec("INFO", "errorstats")).isEqualTo("# Errorstats\r\n");
  }

  @Test
  void latencyTrackingOffStopsRecording() {
    r.exec("CONFIG", "SET", "latency-tracking", "no");
    r.exec("SET", "k", "v");
    assertThat((String) r.exec("INFO", "latencystats")).doesNotContain("usec_set:");
  }
}
