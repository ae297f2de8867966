package io.kaiware.engine;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Object sizes on the running JVM, for the MEMORY USAGE estimates. The one thing that varies with
 * the JVM's flags is the size of a reference: 4 bytes with compressed references (G1 or Parallel
 * with a heap under 32 GB), 8 without — and ZGC, the server's default collector, has none. A sorted
 * set's estimate assuming 4 was 18% under the measured heap on ZGC (docs/benchmarks/zset.md).
 * Estimates only: no reply that replicas must agree on depends on this.
 */
final class HeapLayout {
  private HeapLayout() {}

  /** Bytes of an object reference on this JVM. */
  static final int REFERENCE_BYTES = referenceBytes();

  /** An object header with compressed class pointers (HotSpot's default). */
  static final int OBJECT_HEADER_BYTES = 12;

  /** An array header: the object header and the length. */
  static final int ARRAY_HEADER_BYTES = 16;

  private static int referenceBytes() {
    try {
      HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotspot != null && "false".equals(hotspot.getVMOption("UseCompressedOops").getValue()) ? 8 : 4;
    } catch (RuntimeException | LinkageError e) {
      return 4; // not HotSpot, or the flag is unknown: the common case
    }
  }

  /** Rounds up to the 8-byte object alignment. */
  static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }

  /** An array of {@code length} elements of {@code elementBytes} each. */
  static long array(int elementBytes, int length) {
    return align(ARRAY_HEADER_BYTES + (long) elementBytes * length);
  }

  /** Per slot of a {@link KeyTable} without expiry array: key and value references and the hash. */
  static long keyTableSlotBytes() {
    return 2L * REFERENCE_BYTES + 4;
  }
}
