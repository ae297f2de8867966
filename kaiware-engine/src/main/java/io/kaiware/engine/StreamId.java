package io.kaiware.engine;

/**
 * A stream entry ID, {@code ms-seq}: two unsigned 64-bit numbers (Java longs compared unsigned),
 * ordered by milliseconds, then sequence — Redis's {@code streamID}.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {

  public static final StreamId MIN = new StreamId(0, 0);
  /** {@code 18446744073709551615-18446744073709551615}, the largest ID ("+"). */
  public static final StreamId MAX = new StreamId(-1L, -1L);

  @Override
  public int compareTo(StreamId o) {
    return compare(ms, seq, o.ms, o.seq);
  }

  /** Unsigned comparison of two IDs given as their parts. */
  public static int compare(long ms1, long seq1, long ms2, long seq2) {
    int c = Long.compareUnsigned(ms1, ms2);
    return c != 0 ? c : Long.compareUnsigned(seq1, seq2);
  }

  public boolean isZero() {
    return ms == 0 && seq == 0;
  }

  /** The next ID (Redis's streamIncrID), or {@code null} past the largest. */
  public StreamId next() {
    if (seq == -1L) {
      return ms == -1L ? null : new StreamId(ms + 1, 0);
    }
    return new StreamId(ms, seq + 1);
  }

  /** The previous ID (Redis's streamDecrID), or {@code null} before 0-0. */
  public StreamId previous() {
    if (seq == 0) {
      return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }
    return new StreamId(ms, seq - 1);
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
  }
}
