package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * KeyTable allocates its expiry array only once an entry gets an expiry (and drops it on a resize
 * or clear when none has one): every entry's expiry and {@link KeyTable#volatileCount()} must still
 * match a plain map through random puts with and without expiry, expiry changes, removals (with
 * backward shifts), shrinks and clears.
 */
class KeyTableExpiryTest {

  private static byte[] key(int i) {
    return ("k" + i).getBytes(StandardCharsets.US_ASCII);
  }

  private static int expiring(Map<Integer, Long> model) {
    return (int) model.values().stream().filter(e -> e != KeyTable.NO_EXPIRY).count();
  }

  @Test
  void expiriesMatchAModelWhetherOrNotTheArrayExists() {
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      KeyTable table = new KeyTable();
      Map<Integer, Long> model = new HashMap<>();
      // Phases alternate between few and many expiring entries, so the array comes and goes.
      for (int op = 0; op < 20_000; op++) {
        boolean expiring = (op / 2_000) % 2 == 1;
        int k = random.nextInt(3_000);
        int action = random.nextInt(100);
        if (action < 45) {
          long expiry = expiring && random.nextInt(3) == 0 ? 1 + random.nextInt(1_000_000) : KeyTable.NO_EXPIRY;
          table.put(key(k), k, expiry);
          model.put(k, expiry);
        } else if (action < 55) {
          int slot = table.find(key(k));
          if (slot >= 0) {
            long expiry = expiring ? 1 + random.nextInt(1_000_000) : KeyTable.NO_EXPIRY;
            table.setExpireAtMs(slot, expiry);
            model.put(k, expiry);
          }
        } else if (action < 98) {
          assertThat(table.remove(key(k)) != null).isEqualTo(model.remove(k) != null);
          if (random.nextInt(50) == 0) {
            table.shrinkIfSparse();
          }
        } else if (random.nextInt(20) == 0) {
          table.clear();
          model.clear();
        }
        if (op % 500 == 0) {
          assertThat(table.volatileCount()).isEqualTo(expiring(model));
        }
      }
      assertThat(table.size()).isEqualTo(model.size());
      assertThat(table.volatileCount()).isEqualTo(expiring(model));
      for (Map.Entry<Integer, Long> e : model.entrySet()) {
        int slot = table.find(key(e.getKey()));
        assertThat(slot).isNotNegative();
        assertThat(table.expireAtMs(slot)).as("seed %d key %d", seed, e.getKey()).isEqualTo(e.getValue());
        assertThat(table.valueAt(slot)).isEqualTo(e.getKey());
      }
      // Every free slot reads as persistent, which put() relies on for a fresh slot.
      for (int slot = 0; slot < table.capacity(); slot++) {
        if (!table.occupied(slot)) {
          assertThat(table.expireAtMs(slot)).isEqualTo(KeyTable.NO_EXPIRY);
        }
      }
    }
  }
}
