package io.kaiware.dns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {
  @Test
  void namesAliasesCommentsAndReverse(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("hosts");
    Files.writeString(p, """
        # comment
        127.0.0.1   localhost
        ::1         localhost ip6-localhost   # trailing
        10.1.2.3    Cache.Internal cache
        not-an-ip   ignored
        """);
    HostsFile h = new HostsFile(p);
    assertThat(h.lookup("localhost")).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(h.lookup("cache.internal.")).extracting(InetAddress::getHostAddress).containsExactly("10.1.2.3");
    assertThat(h.lookup("CACHE")).hasSize(1);
    assertThat(h.lookup("ignored")).isEmpty();
    assertThat(h.reverse(InetAddress.getByName("10.1.2.3"))).isEqualTo("Cache.Internal");
  }

  @Test
  void missingFileIsEmptyAndAChangeIsReread(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("hosts");
    HostsFile h = new HostsFile(p);
    assertThat(h.lookup("localhost")).isEmpty();
    Files.writeString(p, "10.0.0.1 svc\n");
    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    long until = System.nanoTime() + 5_000_000_000L;
    while (h.lookup("svc").isEmpty() && System.nanoTime() < until) Thread.sleep(50);
    assertThat(h.lookup("svc")).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.1");
  }
}
