package io.kaiware.dns.select;

import static io.kaiware.dns.select.Rfc6724Test.ip;
import static io.kaiware.dns.select.Rfc6724Test.ips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 1,000 address choices for a name with four addresses, through the selection path the connector
 * uses (the first address of {@link AddressSelector#order} is the one dialled first).
 */
class AddressSelectorTest {
  private static final List<InetAddress> FOUR = ips("10.0.0.104", "10.0.1.12", "10.0.2.8", "10.0.3.221");
  private static final SourceLookup SAME_SUBNET = SourceLookup.fixed(ips("10.0.1.3"));

  private static Map<InetAddress, Integer> firstChoices(AddressSelector s, int n) {
    Map<InetAddress, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) counts.merge(s.order("cache.test", FOUR).get(0), 1, Integer::sum);
    return counts;
  }

  @Test
  void roundRobinLandsEvenlyWithinOne() {
    Map<InetAddress, Integer> c = firstChoices(new AddressSelector(AddressPolicy.ROUND_ROBIN, SAME_SUBNET, 1), 1000);
    assertThat(c).hasSize(4);
    assertThat(c.values()).allSatisfy(v -> assertThat(v).isBetween(249, 251));
  }

  @Test
  void randomLandsWithinFifteenPercentOfEven() {
    Map<InetAddress, Integer> c = firstChoices(new AddressSelector(AddressPolicy.RANDOM, SAME_SUBNET, 42), 1000);
    assertThat(c).hasSize(4);
    assertThat(c.values()).allSatisfy(v -> assertThat(v).isBetween(213, 287));
  }

  @Test
  void strictRfc6724FromASameSubnetSourcePinsEveryConnection() {
    Map<InetAddress, Integer> c = firstChoices(new AddressSelector(AddressPolicy.RFC6724_STRICT, SAME_SUBNET, 1), 1000);
    assertThat(c).containsExactly(Map.entry(ip("10.0.1.12"), 1000));
  }

  @Test
  void defaultRfc6724KeepsTheDnsOrderForIpv4() {
    AddressSelector s = new AddressSelector(AddressPolicy.RFC6724, SAME_SUBNET, 1);
    assertThat(s.order("cache.test", FOUR)).isEqualTo(FOUR);
  }

  @Test
  void roundRobinOffsetIsPerName() {
    AddressSelector s = new AddressSelector(AddressPolicy.ROUND_ROBIN, SAME_SUBNET, 1);
    assertThat(s.order("a", FOUR).get(0)).isEqualTo(FOUR.get(0));
    assertThat(s.order("a", FOUR).get(0)).isEqualTo(FOUR.get(1));
    assertThat(s.order("b", FOUR).get(0)).isEqualTo(FOUR.get(0));
  }

  @Test
  void policyNames() {
    assertThat(AddressPolicy.parse("rfc6724-strict")).isEqualTo(AddressPolicy.RFC6724_STRICT);
    assertThat(AddressPolicy.parse("round-robin")).isEqualTo(AddressPolicy.ROUND_ROBIN);
    assertThatThrownBy(() -> AddressPolicy.parse("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void kernelSourceLookupFindsLoopbackWithoutSendingAnything() {
    assertThat(SourceLookup.kernel().source(ip("127.0.0.1"))).contains(ip("127.0.0.1"));
  }
  @Test
  void roundRobinIgnoresTheOrderTheDnsServerSends() {
    // A round-robin DNS server rotates its answer on every query; rotating that again by our own
    // offset would start at offset 2k and use only half of the backends.
    AddressSelector s = new AddressSelector(AddressPolicy.ROUND_ROBIN, SAME_SUBNET, 1);
    Map<InetAddress, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      List<InetAddress> answer = new java.util.ArrayList<>(FOUR);
      java.util.Collections.rotate(answer, -i);
      counts.merge(s.order("cache.test", answer).get(0), 1, Integer::sum);
    }
    assertThat(counts).hasSize(4);
    assertThat(counts.values()).allSatisfy(v -> assertThat(v).isEqualTo(250));
  }
}
