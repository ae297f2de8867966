package io.kaiware.dns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ResolvConfTest {
  @Test
  void parsesEveryHonouredOption() {
    ResolverConfig c = ResolvConf.parse("""
        # comment
        nameserver 10.0.0.2
        nameserver 10.0.0.3 ; trailing comment
        nameserver 10.0.0.4
        nameserver 2001:db8::53
        nameserver 127.0.0.2#5353
        nameserver [::1]:5354
        nameserver not-an-ip
        domain corp.example
        search a.example b.example
        options ndots:3 timeout:2 attempts:4 rotate single-request use-vc edns0 trust-ad
        """, ResolverConfig.builder());
    assertThat(c.nameservers()).extracting(InetSocketAddress::getPort).containsExactly(53, 53, 53, 53, 5353, 5354);
    assertThat(c.nameservers()).hasSize(6);
    assertThat(c.search()).containsExactly("a.example", "b.example");
    assertThat(c.ndots()).isEqualTo(3);
    assertThat(c.timeoutMs()).isEqualTo(2000);
    assertThat(c.attempts()).isEqualTo(4);
    assertThat(c.lookupDeadlineMs()).isEqualTo(8000);
    assertThat(c.rotate()).isTrue();
    assertThat(c.singleRequest()).isTrue();
    assertThat(c.useVc()).isTrue();
  }

  @Test
  void defaultsFollowGlibc() {
    ResolverConfig c = ResolvConf.parse("domain x.example\n", ResolverConfig.builder());
    assertThat(c.nameservers()).hasSize(1);
    assertThat(c.nameservers().get(0).getAddress().isLoopbackAddress()).isTrue();
    assertThat(c.search()).containsExactly("x.example");
    assertThat(c.ndots()).isEqualTo(1);
    assertThat(c.timeoutMs()).isEqualTo(5000);
    assertThat(c.attempts()).isEqualTo(2);
  }
}
