package io.kaiware.command.server;

import java.util.ArrayList;

/**
 * {@code DEBUG LEAK-DRILL <count>|RESET}: a deliberate leak, so a test (or an operator rehearsing)
 * can check that the admin port's heap diff ({@code /debug/heap?diff=ID}) names the leaking class
 * first. Each call adds {@code count} {@link LeakedEntry} objects to a static list that nothing ever
 * trims, the shape of incident 3's leak.
 *
 * <p>Off unless the JVM runs with {@code -Dkaiware.debug.leak-drill=true}; tests set it, production
 * never should.
 */
final class LeakDrill {

  /** The system property that enables the drill. */
  static final String ENABLE_PROPERTY = "kaiware.debug.leak-drill";

  /** One leaked object: small and array-free, so the diff's top line is this class, not byte[]. */
  record LeakedEntry(long sequence, long createdNs) {}

  private static final ArrayList<LeakedEntry> LEAKED = new ArrayList<>();

  private LeakDrill() {}

  static boolean enabled() {
    return Boolean.getBoolean(ENABLE_PROPERTY);
  }

  /** Leaks {@code count} more entries; returns how many are held now. Engine thread only. */
  static long leak(long count) {
    long start = LEAKED.size();
    for (long i = 0; i < count; i++) {
      LEAKED.add(new LeakedEntry(start + i, System.nanoTime()));
    }
    return LEAKED.size();
  }

  static void reset() {
    LEAKED.clear();
    LEAKED.trimToSize();
  }
}
