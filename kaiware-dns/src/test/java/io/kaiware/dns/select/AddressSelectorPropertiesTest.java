package io.kaiware.dns.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of every policy: a permutation of the input, deterministic for a seed, stable. */
class AddressSelectorPropertiesTest {
  @Provide
  Arbitrary<InetAddress> addresses() {
    Arbitrary<InetAddress> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4).map(AddressSelectorPropertiesTest::of);
    // Small IPv6 space (a few interesting prefixes) so that ties and Rule 9 both happen.
    Arbitrary<InetAddress> v6 = Combinators.combine(
        Arbitraries.of(0x2001, 0x2002, 0xfe80, 0xfc00, 0x0000, 0x3ffe, 0xfec0, 0xff02),
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 255))
        .as((p, mid, low) -> {
          byte[] b = new byte[16];
          b[0] = (byte) (p.intValue() >> 8);
          b[1] = p.byteValue();
          b[5] = mid.byteValue();
          b[15] = low.byteValue();
          return of(b);
        });
    return Arbitraries.oneOf(v4, v6, Arbitraries.of(of(new byte[] {10, 0, 1, 12}), of(new byte[] {127, 0, 0, 1})));
  }

  private static InetAddress of(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final SourceLookup HOST = SourceLookup.fixed(
      List.of(of(new byte[] {10, 0, 1, 3}), of(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5})));

  @Property(tries = 300)
  void everyPolicyReturnsAPermutation(@ForAll("lists") List<InetAddress> in, @ForAll AddressPolicy p, @ForAll long seed) {
    List<InetAddress> out = new AddressSelector(p, HOST, seed).order("n", in);
    assertThat(out).containsExactlyInAnyOrderElementsOf(in);
  }

  @Property(tries = 200)
  void deterministicForASeed(@ForAll("lists") List<InetAddress> in, @ForAll AddressPolicy p, @ForAll long seed) {
    AddressSelector a = new AddressSelector(p, HOST, seed);
    AddressSelector b = new AddressSelector(p, HOST, seed);
    for (int i = 0; i < 3; i++) assertThat(a.order("n", in)).isEqualTo(b.order("n", in));
  }

  @Property(tries = 200)
  void rfc6724IsStableAndIdempotent(@ForAll("lists") List<InetAddress> in, @ForAll boolean strict) {
    AddressSelector s = new AddressSelector(strict ? AddressPolicy.RFC6724_STRICT : AddressPolicy.RFC6724, HOST, 0);
    List<InetAddress> once = s.order("n", in);
    assertThat(s.order("n", once)).isEqualTo(once);
    // Stable: equal addresses (duplicates) keep their relative input order, so sorting a list and
    // sorting its duplicate-appended copy agree on the prefix order.
    List<InetAddress> doubled = new ArrayList<>(in);
    doubled.addAll(in);
    List<InetAddress> d = s.order("n", doubled);
    assertThat(d.stream().distinct().toList()).isEqualTo(once.stream().distinct().toList());
  }

  @Provide
  Arbitrary<List<InetAddress>> lists() {
    return addresses().list().ofMinSize(0).ofMaxSize(8);
  }
}
