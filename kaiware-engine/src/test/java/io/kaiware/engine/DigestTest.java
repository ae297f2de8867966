package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** DEBUG DIGEST's engine side: order-independent, sensitive to keys, values, TTLs and databases. */
class DigestTest {

  @Test
  void emptyIsAllZeros() {
    Keyspace ks = new Keyspace();
    assertThat(ks.digest(0)).isEqualTo("0000000000000000000000000000000000000000");
    ks.db(0).put("k".getBytes(), "v".getBytes(), 10);
    assertThat(ks.digest(11)).isEqualTo(Keyspace.EMPTY_DIGEST); // only an expired key
    assertThat(ks.digest(10)).hasSize(40).isNotEqualTo(Keyspace.EMPTY_DIGEST);
  }

  @Test
  void orderIndependent() {
    Keyspace a = new Keyspace();
    Keyspace b = new Keyspace();
    for (int i = 0; i < 1000; i++) {
      a.db(0).put(("k" + i).getBytes(), ("v" + i).getBytes(), 0);
    }
    for (int i = 999; i >= 0; i--) {
      b.db(0).put(("k" + i).getBytes(), ("v" + i).getBytes(), 0);
    }
    b.db(0).put("extra".getBytes(), "x".getBytes(), 0);
    b.db(0).table().remove("extra".getBytes());
    assertThat(a.digest(0)).isEqualTo(b.digest(0));
  }

  @Test
  void sensitiveToValueTtlAndDatabase() {
    Keyspace ks = new Keyspace();
    ks.db(0).put("k".getBytes(), "v".getBytes(), 0);
    String base = ks.digest(0);
    ks.db(0).put("k".getBytes(), "w".getBytes(), 0);
    assertThat(ks.digest(0)).isNotEqualTo(base);
    ks.db(0).put("k".getBytes(), "v".getBytes(), 5000);
    String withTtl = ks.digest(0);
    assertThat(withTtl).isNotEqualTo(base);
    ks.db(0).put("k".getBytes(), "v".getBytes(), 6000);
    assertThat(ks.digest(0)).isNotEqualTo(withTtl);
    ks.db(0).put("k".getBytes(), "v".getBytes(), 0);
    assertThat(ks.digest(0)).isEqualTo(base);
    ks.swapDatabases(0, 1, 0);
    assertThat(ks.digest(0)).isNotEqualTo(base);
    // Two keys with equal values do not cancel out.
    Keyspace two = new Keyspace();
    two.db(0).put("a".getBytes(), "same".getBytes(), 0);
    two.db(0).put("b".getBytes(), "same".getBytes(), 0);
    assertThat(two.digest(0)).isNotEqualTo(Keyspace.EMPTY_DIGEST);
    assertThat(two.digestValue(0, "a".getBytes(), 0)).isEqualTo(two.digestValue(0, "b".getBytes(), 0));
    assertThat(two.digestValue(0, "missing".getBytes(), 0)).isEqualTo(Keyspace.EMPTY_DIGEST);
  }
}
