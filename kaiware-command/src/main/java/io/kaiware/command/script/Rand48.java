package io.kaiware.command.script;

/**
 * Redis's {@code redisLrand48}/{@code redisSrand48} (src/rand.c): the 48-bit linear congruential
 * generator of POSIX {@code lrand48}, so that {@code math.randomseed(n); math.random()} gives the
 * numbers Redis gives on every platform. One per Lua engine; engine thread only.
 */
final class Rand48 {
  private static final long MULTIPLIER = 0x5DEECE66DL;
  private static final long ADDEND = 0xBL;
  private static final long MASK = (1L << 48) - 1;
  /** Redis's REDIS_LRAND48_MAX. */
  static final int MAX = Integer.MAX_VALUE;

  private long state = 0x1234ABCD330EL;

  /** {@code redisSrand48}: the low 32 bits of the seed, then 0x330E. */
  void seed(int seed) {
    state = (((long) seed & 0xFFFFFFFFL) << 16) | 0x330EL;
  }

  /** {@code redisLrand48}: the next 31-bit value. */
  int next() {
    state = (state * MULTIPLIER + ADDEND) & MASK;
    return (int) (state >>> 17);
  }

  /** Lua's {@code math.random()} as Redis computes it: {@code (lrand48() % MAX) / MAX}. */
  double nextDouble() {
    return (double) (next() % MAX) / (double) MAX;
  }
}
