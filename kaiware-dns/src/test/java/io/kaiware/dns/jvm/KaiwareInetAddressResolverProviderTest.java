package io.kaiware.dns.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.dns.resolver.FakeDnsServer;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM-wide provider in child JVMs (the JDK chooses its resolver once per JVM), with the class
 * path in a chosen order: kaiware-dns first and enabled (ours is chosen: names come from the fake
 * DNS server and the hosts file); not enabled (built-in kept); dnsjava first (the trap: dnsjava's
 * provider wins, and {@code requireInstalled} says so).
 */
@Timeout(60)
class KaiwareInetAddressResolverProviderTest {
  @TempDir
  Path dir;
  private FakeDnsServer dns;
  private Path resolvConf;
  private Path hosts;

  @BeforeEach
  void setUp() throws Exception {
    dns = new FakeDnsServer("127.0.0.53", FakeDnsServer.Mode.ANSWER).add("cache.test", "10.0.0.104", "10.0.1.12");
    resolvConf = dir.resolve("resolv.conf");
    Files.writeString(resolvConf, dns.nameserverLine() + "options timeout:5 attempts:2\n");
    hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost\n10.9.8.7 fromhosts.test alias.test\n");
  }

  @AfterEach
  void tearDown() {
    dns.close();
  }

  private static String location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** Runs {@link JvmResolverMain} in a child JVM and returns its output lines. */
  private List<String> runChild(boolean dnsjavaFirst, boolean enabled, String... names) throws Exception {
    String ours = location(KaiwareInetAddressResolverProvider.class);
    String tests = location(JvmResolverMain.class);
    String dnsjava = location(org.xbill.DNS.Message.class);
    String slf4j = location(org.slf4j.LoggerFactory.class);
    List<String> cp = dnsjavaFirst ? List.of(dnsjava, ours, tests, slf4j) : List.of(ours, tests, dnsjava, slf4j);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", String.join(File.pathSeparator, cp),
        "-D" + KaiwareInetAddressResolverProvider.ENABLE_PROPERTY + "=" + enabled,
        "-D" + KaiwareInetAddressResolverProvider.RESOLV_CONF_PROPERTY + "=" + resolvConf,
        "-D" + KaiwareInetAddressResolverProvider.HOSTS_PROPERTY + "=" + hosts,
        JvmResolverMain.class.getName()));
    cmd.addAll(List.of(names));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void enabledAndFirstOnTheClassPathItResolvesEveryNameOfTheJvm() throws Exception {
    List<String> out = runChild(false, true, "cache.test", "fromhosts.test", "alias.test", "localhost");
    assertThat(out).as(String.join("\n", out)).contains(
        "require ok",
        "installed true",
        "resolved cache.test 10.0.0.104,10.0.1.12",
        "resolved fromhosts.test 10.9.8.7",
        "resolved alias.test 10.9.8.7",
        "resolved localhost 127.0.0.1");
    assertThat(out.get(0)).startsWith("providers [" + KaiwareInetAddressResolverProvider.class.getName());
    assertThat(dns.udpQueries()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void withoutTheSwitchTheBuiltInResolverIsKept() throws Exception {
    List<String> out = runChild(false, false);
    assertThat(out).as(String.join("\n", out)).contains("installed false");
    assertThat(out).anyMatch(l -> l.startsWith("require failed") && l.contains("not enabled"));
    assertThat(dns.udpQueries()).isZero();
  }

  @Test
  void theDnsjavaTrapIsDetectedNotSilent() throws Exception {
    List<String> out = runChild(true, true);
    assertThat(out).as(String.join("\n", out)).contains("installed false");
    assertThat(out.get(0)).startsWith("providers [org.xbill.DNS.spi.DnsjavaInetAddressResolverProvider, "
        + KaiwareInetAddressResolverProvider.class.getName());
    assertThat(out).anyMatch(l -> l.startsWith("require failed") && l.contains("chose another resolver provider")
        && l.contains("before dnsjava"));
    assertThat(dns.udpQueries()).isZero();
  }
}
