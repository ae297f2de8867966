package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Lazy and active expiry at scale. */
class ExpiryTest {

  @Test
  void lazyExpiryIsStrictlyAfterTheExpiryTime() {
    Keyspace ks = new Keyspace();
    Database db = ks.db(0);
    db.put("k".getBytes(), "v".getBytes(), 1000);
    assertThat(db.get("k".getBytes(), 1000)).isNotNull();
    assertThat(db.get("k".getBytes(), 1001)).isNull();
    assertThat(db.size()).isZero();
    assertThat(ks.expiredKeys()).isEqualTo(1);
  }

  @Test
  void lookupsReportKeysExpiredAtTheirTimeButRemoveOnlyUpToTheReclaimHorizon() {
    Keyspace ks = new Keyspace();
    Database db = ks.db(0);
    ks.reclaimHorizonMs(1000); // the log has reached 1000
    db.put("k".getBytes(), "v".getBytes(), 1500);
    assertThat(db.get("k".getBytes(), 1400)).isNotNull();
    // A read at 2000 (its clock is ahead of the log): the key is gone for it, but a later entry at
    // log time 1200 must still find it, so it stays.
    assertThat(db.get("k".getBytes(), 2000)).isNull();
    assertThat(db.size()).isEqualTo(1);
    assertThat(db.get("k".getBytes(), 1200)).isNotNull();
    assertThat(ks.expiredKeys()).isZero();
    ks.reclaimHorizonMs(1501);
    assertThat(db.get("k".getBytes(), 2000)).isNull();
    assertThat(db.size()).isZero();
    assertThat(ks.expiredKeys()).isEqualTo(1);
  }

  @Test
  void millionKeysWithTtlAreReclaimedAndTheTableShrinks() {
    Keyspace ks = new Keyspace();
    Database db = ks.db(0);
    int n = 1_000_000;
    byte[] value = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < n; i++) {
      db.put(("key:" + i).getBytes(StandardCharsets.US_ASCII), value, 10_000 + (i % 1000));
    }
    db.put("persistent".getBytes(), value, KeyTable.NO_EXPIRY);
    int grownCapacity = db.table().capacity();
    assertThat(db.size()).isEqualTo(n + 1);
    assertThat(db.volatileCount()).isEqualTo(n);
    // Not yet expired: a cycle removes nothing.
    assertThat(ks.activeExpireCycle(10_000, 1 << 20)).isZero();
    long removed = 0;
    int cycles = 0;
    long later = 20_000;
    while (db.volatileCount() > 0 && cycles < 10_000) {
      removed += ks.activeExpireCycle(later, 1 << 16);
      cycles++;
    }
    assertThat(removed).isEqualTo(n);
    assertThat(db.size()).isEqualTo(1);
    assertThat(db.table().capacity()).isLessThan(grownCapacity / 1000);
    assertThat(db.get("persistent".getBytes(), later)).isNotNull();
    assertThat(db.get("key:1".getBytes(), later)).isNull();
    assertThat(ks.expiredKeys()).isEqualTo(n);
  }

  @Test
  void activeExpiryCanBeDisabled() {
    Keyspace ks = new Keyspace();
    ks.db(0).put("k".getBytes(), "v", 5);
    ks.setActiveExpireEnabled(false);
    assertThat(ks.activeExpireCycle(100, 100)).isZero();
    ks.setActiveExpireEnabled(true);
    assertThat(ks.activeExpireCycle(100, 100)).isEqualTo(1);
  }
}
