package io.kaiware.dns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.dns.resolver.FakeDnsServer;
import io.kaiware.dns.resolver.FakeDnsServer.Mode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(20)
class DnsCommandTest {
  @Test
  void explainsServersAnswerAndSelection(@TempDir Path dir) throws Exception {
    try (FakeDnsServer dead = new FakeDnsServer("127.0.0.2", Mode.SILENT);
         FakeDnsServer good = new FakeDnsServer("127.0.0.3", Mode.ANSWER)
             .add("cache.test", "10.0.0.104", "10.0.1.12", "10.0.2.8", "10.0.3.221")) {
      Path conf = dir.resolve("resolv.conf");
      Files.writeString(conf, dead.nameserverLine() + good.nameserverLine() + "options timeout:1 attempts:1\n");
      StringWriter sw = new StringWriter();
      CommandLine cl = new CommandLine(new DnsCommand());
      cl.setOut(new PrintWriter(sw));
      int code = cl.execute("cache.test.", "--resolv-conf", conf.toString(), "--policy", "rfc6724-strict",
          "--source", "10.0.1.3", "--hosts", dir.resolve("no-hosts-file").toString());
      String out = sw.toString();
      assertThat(code).as(out).isZero();
      // Each nameserver's answer time or failure.
      assertThat(out).containsPattern("127\\.0\\.0\\.2:\\d+ +failed TIMEOUT in \\d+\\.\\d ms")
          .containsPattern("127\\.0\\.0\\.3:\\d+ +answered ANSWER in \\d+\\.\\d ms");
      // The hedged lookup: both families, which server answered, every attempt.
      assertThat(out).containsPattern("AAAA NODATA via 127\\.0\\.0\\.3:\\d+")
          .containsPattern("A    ANSWER via 127\\.0\\.0\\.3:\\d+")
          .containsPattern("attempt 127\\.0\\.0\\.2:\\d+ +CANCELLED");
      assertThat(out).contains("cache.test.\t\t60\tIN\tA\t10.0.0.104");
      assertThat(out).contains("Addresses in rfc6724-strict order:");
      assertThat(out).contains("1. 10.0.1.12");
      assertThat(out).contains("source 10.0.1.3, scope global(14), label 4, precedence 35, common prefix 28 bits");
      assertThat(out).contains("decided by first: Rule 9 (longest matching prefix)");
      assertThat(out).containsPattern("rank: rfc6724=2 rfc6724-strict=1 glibc=2 random=\\d round-robin=2");
      assertThat(out).contains("common prefix 23 bits", "common prefix 22 bits", "decided by Rule 10 (order kept)");
      assertThat(out).contains("Total time:");
    }
  }

  /** A name in the hosts file is answered there, as glibc and the JVM do, without asking a nameserver. */
  @Test
  void hostsFileAnswersFirst(@TempDir Path dir) throws Exception {
    try (FakeDnsServer good = new FakeDnsServer("127.0.0.3", Mode.ANSWER).add("cache.test", "10.0.0.104")) {
      Path conf = dir.resolve("resolv.conf");
      Files.writeString(conf, good.nameserverLine() + "options timeout:1 attempts:1\n");
      Path hosts = dir.resolve("hosts");
      Files.writeString(hosts, "127.0.0.1 localhost\n10.9.9.9 cache.test cache\n");
      StringWriter sw = new StringWriter();
      CommandLine cl = new CommandLine(new DnsCommand());
      cl.setOut(new PrintWriter(sw));
      int code = cl.execute("cache.test", "--resolv-conf", conf.toString(), "--hosts", hosts.toString(),
          "--source", "10.0.1.3");
      String out = sw.toString();
      assertThat(code).as(out).isZero();
      assertThat(out).contains("Hosts file " + hosts + ": [10.9.9.9]").contains("1. 10.9.9.9")
          .doesNotContain("Nameservers").doesNotContain("10.0.0.104");

      StringWriter dns = new StringWriter();
      cl = new CommandLine(new DnsCommand());
      cl.setOut(new PrintWriter(dns));
      code = cl.execute("cache.test", "--resolv-conf", conf.toString(), "--hosts", hosts.toString(),
          "--source", "10.0.1.3", "--no-hosts");
      assertThat(code).as(dns.toString()).isZero();
      assertThat(dns.toString()).doesNotContain("Hosts file").contains("1. 10.0.0.104");
    }
  }

  @Test
  void badPolicyIsAUsageError(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("resolv.conf");
    Files.writeString(conf, "nameserver 127.0.0.9#1\n");
    CommandLine cl = new CommandLine(new DnsCommand());
    cl.setErr(new PrintWriter(new StringWriter()));
    assertThat(cl.execute("x", "--resolv-conf", conf.toString(), "--policy", "bogus")).isEqualTo(2);
  }
}
