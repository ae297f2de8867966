package io.kaiware.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A ranking over time windows (RANKING.*, docs/commands/ranking.md): integer scores added to
 * members in fixed-width time buckets, read as a top N or a member's rank over the last W ms, a
 * named window, or all time.
 *
 * <h2>Model</h2>
 * Time is cut into buckets {@code [k*bucketMs, (k+1)*bucketMs)}. An increment at time t goes to the
 * bucket starting at {@code floor(t / bucketMs) * bucketMs}. At time {@code now}, a window of
 * {@code L} ms holds the buckets whose start is {@code > now - L} (so the current bucket always
 * counts, and a bucket leaves the window at {@code start + L}); a member's score over the window
 * is the sum of its scores in those buckets. Scores are 64-bit integers kept within +-2^53 (so the
 * sums are exact, also as the doubles the skip lists hold); a member whose total is 0 is absent.
 * A named window can instead be a <em>period</em> ({@code PERIOD name ms}): it holds the buckets
 * since the latest multiple of its length since the Unix epoch ("today" in UTC for 86400000), and
 * empties at each boundary. All time is every increment since creation: it is never dropped. Buckets whose start is
 * {@code <= now - retentionMs} can be in no window any more and are dropped; the retention is at
 * least the longest named window.
 *
 * <h2>Order</h2>
 * Highest score first, ties by member in descending byte order — exactly ZREVRANGE's order, so a
 * rank here is what ZREVRANK would answer on the window's sums.
 *
 * <h2>Reading a window without copying it</h2>
 * <ul>
 *   <li>All time and each named window keep an aggregate {@link SortedSet} of the sums, maintained
 *       incrementally: an increment updates the current bucket and every aggregate (O(W log N) for
 *       W windows); a bucket leaving a window is subtracted from that window's aggregate, member by
 *       member. A top-N read walks the aggregate's skip list from its tail (O(log N + N)), a rank
 *       is one O(log N) lookup.</li>
 *   <li>Reads never update the aggregates (only writes do), so after a bucket boundary and before
 *       the next write a named window's aggregate may still hold a bucket or two that have left
 *       it. Such a read walks the aggregate from its top with those buckets subtracted (hash
 *       lookups), stopping once the next aggregate score cannot beat the N-th answer: a few
 *       entries more than an exact read on leaderboard-like data.</li>
 *   <li>Any other window ({@code LAST ms}) is answered from the per-bucket skip lists with Fagin's
 *       threshold algorithm: the buckets are walked in descending score order in turn; each member
 *       met for the first time is summed over the window's buckets by hash lookups; the walk stops
 *       once the N-th best sum exceeds the sum of the scores at the walk's current positions (no
 *       member not yet met can beat it). On skewed (leaderboard-like) data this stops after a few
 *       entries per bucket; its worst case (flat scores) reads every entry of the window once. The
 *       benchmark in docs/benchmarks.md measures both paths.</li>
 * </ul>
 *
 * <h2>Time</h2>
 * Every operation takes the command time. The ranking's clock is the latest write time and never
 * runs backward: a write at an earlier time acts at that latest time (so buckets stay in order
 * whatever a standalone server's wall clock does), and a read at time t answers for
 * {@code max(t, clock)}. Reads never change anything — not the clock, not the aggregates — so the
 * state is a function of the writes alone, and replicas agree however reads are routed. Writes
 * maintain the aggregates and drop old buckets; a read after a quiet spell whose named-window
 * aggregate still holds buckets that have left it answers by the threshold scan instead. The
 * digest ignores buckets out of retention at the digest's time.
 */
public final class Ranking implements CollectionValue {

  /** The largest absolute score (2^53): every sum stays exact as a double. */
  public static final long MAX_ABS_SCORE = 1L << 53;
  /** Most buckets a ranking may hold (retention / bucket width). */
  public static final long MAX_BUCKETS = 100_000;
  /** Most named windows per ranking. */
  public static final int MAX_WINDOWS = 16;
  /** Returned by {@link #incrBy} when a sum would leave +-{@link #MAX_ABS_SCORE}; nothing changed. */
  public static final long OUT_OF_RANGE = Long.MIN_VALUE;

  /** One time bucket: its start and the members' scores in it. */
  static final class Bucket {
    final long startMs;
    final SortedSet scores = new SortedSet();

    Bucket(long startMs) {
      this.startMs = startMs;
    }
  }

  /** One entry of a top-N answer. */
  public record Entry(byte[] member, long score) {}

  /** A member's 0-based rank (best first) and score over a window. */
  public record Ranked(long rank, long score) {}

  /** Best first: score descending, then member descending (ZREVRANGE's order). */
  static final Comparator<Entry> BEST_FIRST = (a, b) -> {
    int c = Long.compare(b.score, a.score);
    return c != 0 ? c : SortedSet.compareMembers(b.member, a.member);
  };

  private final long bucketMs;
  private final long retentionMs;
  private final byte[][] windowNames;
  private final long[] windowMs;
  /** Whether a named window is a period (tumbling, aligned to multiples of its length) rather than sliding. */
  private final boolean[] periodic;
  private final SortedSet[] windowSums;
  /** For each named window, how many of the newest buckets its aggregate holds. */
  private final int[] windowBuckets;
  private final SortedSet allTime = new SortedSet();
  /** Oldest first; starts strictly increasing. */
  private final ArrayList<Bucket> buckets = new ArrayList<>();
  private long clockMs = Long.MIN_VALUE;

  /**
   * A ranking with buckets of {@code bucketMs}, keeping buckets for {@code retentionMs} (raised to
   * the longest window and to one bucket), and the named windows given. Arguments must already be
   * valid (see {@link #validate}).
   */
  public Ranking(long bucketMs, long retentionMs, byte[][] windowNames, long[] windowMs) {
    this(bucketMs, retentionMs, windowNames, windowMs, new boolean[windowMs.length]);
  }

  /**
   * As above, where {@code periodic[w]} makes window w a period: it holds the buckets since the
   * last multiple of its length (since the Unix epoch), and empties at each such boundary.
   */
  public Ranking(long bucketMs, long retentionMs, byte[][] windowNames, long[] windowMs, boolean[] periodic) {
    long retention = Math.max(retentionMs, bucketMs);
    for (long w : windowMs) {
      retention = Math.max(retention, w);
    }
    this.bucketMs = bucketMs;
    this.retentionMs = retention;
    this.windowNames = windowNames.clone();
    this.windowMs = windowMs.clone();
    this.periodic = periodic.clone();
    this.windowSums = new SortedSet[windowMs.length];
    for (int w = 0; w < windowSums.length; w++) {
      windowSums[w] = new SortedSet();
    }
    this.windowBuckets = new int[windowMs.length];
  }

  /** Why the configuration is invalid, or {@code null} when it is fine. */
  public static String validate(long bucketMs, long retentionMs, byte[][] windowNames, long[] windowMs) {
    return validate(bucketMs, retentionMs, windowNames, windowMs, new boolean[windowMs.length]);
  }

  /** Why the configuration is invalid, or {@code null} when it is fine. */
  public static String validate(long bucketMs, long retentionMs, byte[][] windowNames, long[] windowMs,
      boolean[] periodic) {
    if (bucketMs <= 0) {
      return "BUCKET must be positive";
    }
    if (retentionMs < 0) {
      return "RETENTION must not be negative";
    }
    if (windowMs.length > MAX_WINDOWS) {
      return "at most " + MAX_WINDOWS + " windows";
    }
    long longest = Math.max(retentionMs, bucketMs);
    for (int i = 0; i < windowMs.length; i++) {
      if (windowMs[i] < bucketMs) {
        return "a WINDOW must be at least one BUCKET long";
      }
      if (periodic[i] && windowMs[i] % bucketMs != 0) {
        return "a PERIOD must be a multiple of BUCKET";
      }
      longest = Math.max(longest, windowMs[i]);
      for (int j = 0; j < i; j++) {
        if (Arrays.equals(windowNames[i], windowNames[j])) {
          return "duplicate WINDOW name";
        }
      }
    }
    if (longest / bucketMs > MAX_BUCKETS) {
      return "the retention holds more than " + MAX_BUCKETS + " buckets";
    }
    return null;
  }

  public long bucketMs() {
    return bucketMs;
  }

  public long retentionMs() {
    return retentionMs;
  }

  public int windowCount() {
    return windowMs.length;
  }

  public byte[] windowName(int w) {
    return windowNames[w];
  }

  public long windowMs(int w) {
    return windowMs[w];
  }

  public boolean periodic(int w) {
    return periodic[w];
  }

  /**
   * Named window {@code w} at time {@code t} holds the buckets whose start is above this: {@code t -
   * length} for a sliding window, the start of the current period minus 1 for a period.
   */
  private long cutoff(int w, long t) {
    return periodic[w] ? Math.floorDiv(t, windowMs[w]) * windowMs[w] - 1 : t - windowMs[w];
  }

  /** The named window called {@code name}, or -1. */
  public int window(byte[] name) {
    for (int w = 0; w < windowNames.length; w++) {
      if (Arrays.equals(windowNames[w], name)) {
        return w;
      }
    }
    return -1;
  }

  /** Buckets held (after dropping those out of retention at {@code nowMs}). */
  public int bucketCount(long nowMs) {
    return bucketsAfter(readTime(nowMs) - retentionMs).size();
  }

  /** Members with a non-zero all-time score. */
  public int allTimeSize() {
    return allTime.size();
  }

  // ---------------------------------------------------------------- time

  private long bucketStart(long t) {
    return Math.floorDiv(t, bucketMs) * bucketMs;
  }

  /**
   * On a write: moves the clock to {@code nowMs} (never back), subtracting the buckets that have
   * left each named window from its aggregate and dropping the buckets out of retention. Reads
   * never call this: the state is a function of the writes alone.
   */
  private void advance(long nowMs) {
    if (nowMs <= clockMs) {
      return;
    }
    clockMs = nowMs;
    int n = buckets.size();
    for (int w = 0; w < windowMs.length; w++) {
      long cutoff = cutoff(w, clockMs);
      while (windowBuckets[w] > 0) {
        Bucket oldest = buckets.get(n - windowBuckets[w]);
        if (oldest.startMs > cutoff) {
          break;
        }
        subtract(windowSums[w], oldest);
        windowBuckets[w]--;
      }
    }
    int drop = 0;
    long cutoff = clockMs - retentionMs;
    while (drop < n && buckets.get(drop).startMs <= cutoff) {
      drop++;
    }
    if (drop > 0) {
      buckets.subList(0, drop).clear();
    }
  }

  private static void subtract(SortedSet sums, Bucket bucket) {
    for (SortedSet.Node x = bucket.scores.first(); x != null; x = x.next()) {
      // A member missing from the sums has sum 0 (its buckets cancel out).
      set(sums, x.member(), plus(sums, x.member(), -(long) x.score()));
    }
  }

  /** The member's score plus {@code increment}, exactly ({@code |increment| <= 2^53}, no overflow). */
  private static long plus(SortedSet set, byte[] member, long increment) {
    SortedSet.Node n = set.node(member);
    return (n == null ? 0 : (long) n.score()) + increment;
  }

  private static void set(SortedSet set, byte[] member, long score) {
    if (score == 0) {
      set.remove(member);
    } else {
      set.put(member, score);
    }
  }

  // ---------------------------------------------------------------- writes

  /**
   * Adds {@code increment} to {@code member} in the bucket of {@code nowMs}. Returns the member's
   * new all-time score, or {@link #OUT_OF_RANGE} (and changes nothing) when any sum it touches
   * would leave +-{@link #MAX_ABS_SCORE}.
   */
  public long incrBy(byte[] member, long increment, long nowMs) {
    advance(nowMs);
    long start = bucketStart(clockMs);
    Bucket current = buckets.isEmpty() ? null : buckets.get(buckets.size() - 1);
    if (current != null && current.startMs != start) {
      current = null;
    }
    // Check every sum first, so that a rejected increment changes nothing.
    if (Math.abs(increment) > MAX_ABS_SCORE) {
      return OUT_OF_RANGE;
    }
    long inBucket = current == null ? increment : plus(current.scores, member, increment);
    long total = plus(allTime, member, increment);
    if (Math.abs(inBucket) > MAX_ABS_SCORE || Math.abs(total) > MAX_ABS_SCORE) {
      return OUT_OF_RANGE;
    }
    for (SortedSet sums : windowSums) {
      if (Math.abs(plus(sums, member, increment)) > MAX_ABS_SCORE) {
        return OUT_OF_RANGE;
      }
    }
    if (increment == 0) {
      return total;
    }
    if (current == null) {
      current = new Bucket(start);
      buckets.add(current);
      for (int w = 0; w < windowBuckets.length; w++) {
        windowBuckets[w]++;
      }
    }
    set(current.scores, member, inBucket);
    set(allTime, member, total);
    for (SortedSet sums : windowSums) {
      set(sums, member, plus(sums, member, increment));
    }
    return total;
  }

  // ---------------------------------------------------------------- reads

  /** The window to read: all time, a named window, or the last {@code ms}. */
  public sealed interface Span permits AllTime, Named, Last {}

  public record AllTime() implements Span {}

  public record Named(int window) implements Span {}

  public record Last(long ms) implements Span {}

  /** The read time: the command time, but never before the latest write. */
  private long readTime(long nowMs) {
    return Math.max(nowMs, clockMs);
  }

  /** Whether named window {@code w}'s aggregate is exact at read time {@code t}: none of its buckets has left. */
  private boolean fresh(int w, long t) {
    int held = windowBuckets[w];
    return held == 0 || buckets.get(buckets.size() - held).startMs > cutoff(w, t);
  }

  /**
   * The aggregate that answers {@code span} exactly at read time {@code t}, or {@code null} when
   * it needs a merge (a window no aggregate keeps, or one whose aggregate still holds buckets that
   * have left it since the last write).
   */
  private SortedSet aggregate(Span span, long t) {
    return switch (span) {
      case AllTime a -> allTime;
      case Named n -> fresh(n.window(), t) ? windowSums[n.window()] : null;
      case Last l -> {
        for (int w = 0; w < windowMs.length; w++) {
          if (!periodic[w] && windowMs[w] == l.ms() && fresh(w, t)) {
            yield windowSums[w];
          }
        }
        yield null;
      }
    };
  }

  /** The buckets of {@code span} at read time {@code t} start above this (never beyond the retention). */
  private long spanCutoff(Span span, long t) {
    return switch (span) {
      case AllTime a -> t - retentionMs; // unused: all time always has its aggregate
      case Named n -> cutoff(n.window(), t);
      case Last l -> t - Math.min(l.ms(), retentionMs);
    };
  }

  /** The buckets whose start is above {@code cutoff}. */
  private List<Bucket> bucketsAfter(long cutoff) {
    int from = buckets.size();
    while (from > 0 && buckets.get(from - 1).startMs > cutoff) {
      from--;
    }
    return buckets.subList(from, buckets.size());
  }

  /**
   * The entries ranked {@code offset .. offset+count-1} over {@code span} at {@code nowMs}, best
   * first. A {@code Last} span longer than the retention sees only the retained buckets.
   */
  public List<Entry> top(Span span, long offset, long count, long nowMs) {
    long t = readTime(nowMs);
    List<Entry> out = new ArrayList<>();
    if (count <= 0 || offset < 0) {
      return out;
    }
    SortedSet sums = aggregate(span, t);
    if (sums != null) {
      if (offset >= sums.size()) {
        return out;
      }
      SortedSet.Node x = sums.byRank(sums.size() - 1 - offset);
      for (; x != null && out.size() < count; x = x.previous()) {
        out.add(new Entry(x.member(), (long) x.score()));
      }
      return out;
    }
    long want = offset + count;
    TreeSet<Entry> best = new TreeSet<>(BEST_FIRST);
    scan(span, t, new ScanVisitor() {
      @Override
      public void seen(byte[] member, long sum) {
        if (sum != 0) {
          best.add(new Entry(member, sum));
          if (best.size() > want) {
            best.pollLast();
          }
        }
      }

      @Override
      public boolean enough(long threshold) {
        return best.size() == want && best.last().score > threshold;
      }
    });
    long skipped = 0;
    for (Entry e : best) {
      if (skipped++ >= offset) {
        out.add(e);
      }
    }
    return out;
  }

  /** {@code member}'s 0-based rank and score over {@code span} at {@code nowMs}, or {@code null}. */
  public Ranked rank(byte[] member, Span span, long nowMs) {
    long t = readTime(nowMs);
    SortedSet sums = aggregate(span, t);
    if (sums != null) {
      SortedSet.Node n = sums.node(member);
      if (n == null) {
        return null;
      }
      long rank = sums.size() - 1 - sums.rankOfNode(n);
      return new Ranked(rank, (long) n.score());
    }
    List<Bucket> within = bucketsAfter(spanCutoff(span, t));
    long sum = 0;
    for (Bucket b : within) {
      SortedSet.Node n = b.scores.node(member);
      sum += n == null ? 0 : (long) n.score();
    }
    long score = sum;
    if (score == 0) {
      return null;
    }
    Entry self = new Entry(member, score);
    long[] above = {0};
    scan(span, t, new ScanVisitor() {
      @Override
      public void seen(byte[] m, long sum) {
        if (sum != 0 && BEST_FIRST.compare(new Entry(m, sum), self) < 0) {
          above[0]++;
        }
      }

      @Override
      public boolean enough(long threshold) {
        return threshold < score;
      }
    });
    return new Ranked(above[0], score);
  }

  /** The named window that keeps an aggregate for {@code span}, or -1. */
  private int windowFor(Span span) {
    if (span instanceof Named n) {
      return n.window();
    }
    if (span instanceof Last l) {
      for (int w = 0; w < windowMs.length; w++) {
        if (!periodic[w] && windowMs[w] == l.ms()) {
          return w;
        }
      }
    }
    return -1;
  }

  /**
   * Answers a span that has no exact aggregate at read time {@code t}. A named window whose
   * aggregate still holds a few buckets that have left it (reads after a bucket boundary, before
   * the next write) walks that aggregate with the stale buckets subtracted; otherwise the
   * threshold algorithm runs over the window's buckets.
   */
  private void scan(Span span, long t, ScanVisitor visitor) {
    int w = windowFor(span);
    if (w >= 0) {
      int held = windowBuckets[w];
      int from = buckets.size() - held;
      int to = from;
      long cutoff = cutoff(w, t);
      while (to < buckets.size() && buckets.get(to).startMs <= cutoff) {
        to++;
      }
      int stale = to - from;
      if (stale <= held - stale) {
        correctedScan(windowSums[w], buckets.subList(from, to), visitor);
        return;
      }
    }
    thresholdScan(bucketsAfter(spanCutoff(span, t)), visitor);
  }

  /**
   * Walks {@code sums} from the top, reporting each member's sum minus its scores in
   * {@code stale}. A member not reached yet sums at most the next aggregate score plus what the
   * stale buckets' negative scores could add back.
   */
  static void correctedScan(SortedSet sums, List<Bucket> stale, ScanVisitor visitor) {
    long slack = 0;
    for (Bucket b : stale) {
      SortedSet.Node lowest = b.scores.first();
      if (lowest != null && lowest.score() < 0) {
        slack -= (long) lowest.score();
      }
    }
    for (SortedSet.Node x = sums.last(); x != null; ) {
      scannedEntries++;
      long sum = (long) x.score();
      for (Bucket b : stale) {
        SortedSet.Node n = b.scores.node(x.member());
        sum -= n == null ? 0 : (long) n.score();
      }
      visitor.seen(x.member(), sum);
      x = x.previous();
      if (x == null || visitor.enough((long) x.score() + slack)) {
        return;
      }
    }
  }

  /** What the threshold scan reports, and when it may stop. */
  interface ScanVisitor {
    /** A member met for the first time, with its sum over the scanned buckets. */
    void seen(byte[] member, long sum);

    /** Whether the scan may stop, given that no member not yet seen sums to more than {@code threshold}. */
    boolean enough(long threshold);
  }

  /** Entries read by threshold scans since the JVM started; for the benchmark. */
  static long scannedEntries;

  /**
   * Fagin's threshold algorithm over {@code within}: sorted access to every bucket in turn (highest
   * score first), random access (hash lookups) to sum each newly met member.
   */
  static void thresholdScan(List<Bucket> within, ScanVisitor visitor) {
    int k = within.size();
    SortedSet.Node[] cursor = new SortedSet.Node[k];
    for (int i = 0; i < k; i++) {
      cursor[i] = within.get(i).scores.last();
    }
    KeyTable met = new KeyTable();
    while (true) {
      boolean any = false;
      for (int i = 0; i < k; i++) {
        SortedSet.Node x = cursor[i];
        if (x == null) {
          continue;
        }
        any = true;
        cursor[i] = x.previous();
        scannedEntries++;
        if (met.find(x.member()) >= 0) {
          continue;
        }
        met.put(x.member(), Boolean.TRUE, KeyTable.NO_EXPIRY);
        long sum = 0;
        for (Bucket b : within) {
          SortedSet.Node n = b.scores.node(x.member());
          sum += n == null ? 0 : (long) n.score();
        }
        visitor.seen(x.member(), sum);
      }
      if (!any) {
        return;
      }
      // A member not met yet scores at most the cursor's score in each bucket, or 0 where absent.
      long threshold = 0;
      for (SortedSet.Node c : cursor) {
        if (c != null && c.score() > 0) {
          threshold += (long) c.score();
        }
      }
      if (visitor.enough(threshold)) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- CollectionValue

  @Override
  public String typeName() {
    return "ranking";
  }

  @Override
  public String encoding() {
    return "bucketed";
  }

  @Override
  public Ranking deepCopy() {
    ValueCodec.Out out = new ValueCodec.Out();
    encode(out);
    byte[] bytes = out.toArray(0);
    return decode(new ValueCodec.In(bytes, 0, bytes.length));
  }

  @Override
  public long estimateBytes() {
    long bytes = 64 + allTime.estimateBytes() + 16 + 8L * buckets.size();
    for (SortedSet s : windowSums) {
      bytes += s.estimateBytes();
    }
    for (Bucket b : buckets) {
      bytes += 24 + b.scores.estimateBytes();
    }
    return bytes;
  }

  @Override
  public void digestElements(ElementSink sink) {
    digestElements(sink, Long.MIN_VALUE);
  }

  /** Digests the configuration, the all-time scores and the buckets still in retention at {@code nowMs}. */
  @Override
  public void digestElements(ElementSink sink, long nowMs) {
    ValueCodec.Out config = new ValueCodec.Out();
    config.writeLong(bucketMs);
    config.writeLong(retentionMs);
    for (int w = 0; w < windowMs.length; w++) {
      config.writeBytes(windowNames[w]);
      config.writeByte(periodic[w] ? 1 : 0);
      config.writeLong(windowMs[w]);
    }
    sink.element("!config".getBytes(StandardCharsets.US_ASCII), config.toArray(0));
    for (SortedSet.Node x = allTime.first(); x != null; x = x.next()) {
      sink.element(prefixed((byte) 'a', Long.MIN_VALUE, x.member()), decimal((long) x.score()));
    }
    long cutoff = Math.max(clockMs, nowMs) - retentionMs;
    for (Bucket b : buckets) {
      if (b.startMs <= cutoff) {
        continue;
      }
      for (SortedSet.Node x = b.scores.first(); x != null; x = x.next()) {
        sink.element(prefixed((byte) 'b', b.startMs, x.member()), decimal((long) x.score()));
      }
    }
  }

  private static byte[] prefixed(byte tag, long start, byte[] member) {
    byte[] out = new byte[9 + member.length];
    out[0] = tag;
    for (int i = 0; i < 8; i++) {
      out[1 + i] = (byte) (start >>> (56 - 8 * i));
    }
    System.arraycopy(member, 0, out, 9, member.length);
    return out;
  }

  private static byte[] decimal(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }

  // ---------------------------------------------------------------- DUMP body

  /** The body after the type tag (docs/commands/dump-format.md). */
  void encode(ValueCodec.Out out) {
    out.writeLong(bucketMs);
    out.writeLong(retentionMs);
    out.writeLong(clockMs);
    out.writeVarint(windowMs.length);
    for (int w = 0; w < windowMs.length; w++) {
      out.writeBytes(windowNames[w]);
      out.writeByte(periodic[w] ? 1 : 0);
      out.writeLong(windowMs[w]);
    }
    out.writeVarint(allTime.size());
    for (SortedSet.Node x = allTime.first(); x != null; x = x.next()) {
      out.writeBytes(x.member());
      out.writeLong((long) x.score());
    }
    out.writeVarint(buckets.size());
    for (Bucket b : buckets) {
      out.writeLong(b.startMs);
      out.writeVarint(b.scores.size());
      for (SortedSet.Node x = b.scores.first(); x != null; x = x.next()) {
        out.writeBytes(x.member());
        out.writeLong((long) x.score());
      }
    }
  }

  /** Reads a body written by {@link #encode}; throws {@link ValueCodec.Malformed} on bad input. */
  static Ranking decode(ValueCodec.In in) {
    long bucketMs = in.readLong();
    long retentionMs = in.readLong();
    long clockMs = in.readLong();
    int windows = in.readLength();
    if (windows > MAX_WINDOWS) {
      throw ValueCodec.Malformed.INSTANCE;
    }
    byte[][] names = new byte[windows][];
    long[] lengths = new long[windows];
    boolean[] periods = new boolean[windows];
    for (int w = 0; w < windows; w++) {
      names[w] = in.readBytes();
      int kind = in.readByte();
      if (kind > 1) {
        throw ValueCodec.Malformed.INSTANCE;
      }
      periods[w] = kind == 1;
      lengths[w] = in.readLong();
    }
    if (validate(bucketMs, retentionMs, names, lengths, periods) != null) {
      throw ValueCodec.Malformed.INSTANCE;
    }
    Ranking r = new Ranking(bucketMs, retentionMs, names, lengths, periods);
    if (r.retentionMs != retentionMs) {
      throw ValueCodec.Malformed.INSTANCE;
    }
    r.clockMs = clockMs;
    int members = in.readLength();
    for (int i = 0; i < members; i++) {
      byte[] member = in.readBytes();
      long score = in.readLong();
      if (score == 0 || Math.abs(score) > MAX_ABS_SCORE || !r.allTime.put(member, score)) {
        throw ValueCodec.Malformed.INSTANCE;
      }
    }
    int count = in.readLength();
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      Bucket b = new Bucket(in.readLong());
      if (b.startMs <= previous || b.startMs != r.bucketStart(b.startMs) || b.startMs > clockMs) {
        throw ValueCodec.Malformed.INSTANCE;
      }
      previous = b.startMs;
      int n = in.readLength();
      for (int j = 0; j < n; j++) {
        byte[] member = in.readBytes();
        long score = in.readLong();
        if (score == 0 || Math.abs(score) > MAX_ABS_SCORE || !b.scores.put(member, score)) {
          throw ValueCodec.Malformed.INSTANCE;
        }
      }
      r.buckets.add(b);
    }
    // Rebuild the named windows' aggregates from the buckets they hold at the clock.
    for (int w = 0; w < windows; w++) {
      List<Bucket> within = r.bucketsAfter(r.cutoff(w, r.clockMs));
      r.windowBuckets[w] = within.size();
      for (Bucket b : within) {
        for (SortedSet.Node x = b.scores.first(); x != null; x = x.next()) {
          set(r.windowSums[w], x.member(), plus(r.windowSums[w], x.member(), (long) x.score()));
        }
      }
    }
    return r;
  }

  /** Checks that every aggregate equals the sums of its buckets; for tests. */
  void checkInvariants() {
    for (int w = 0; w < windowMs.length; w++) {
      SortedSet expected = new SortedSet();
      List<Bucket> within = bucketsAfter(cutoff(w, clockMs));
      if (within.size() != windowBuckets[w]) {
        throw new AssertionError("window " + w + " holds " + windowBuckets[w] + " buckets, expected " + within.size());
      }
      for (Bucket b : within) {
        for (SortedSet.Node x = b.scores.first(); x != null; x = x.next()) {
          set(expected, x.member(), plus(expected, x.member(), (long) x.score()));
        }
      }
      if (expected.size() != windowSums[w].size()) {
        throw new AssertionError("window " + w + " has " + windowSums[w].size() + " members, expected " + expected.size());
      }
      for (SortedSet.Node x = expected.first(); x != null; x = x.next()) {
        SortedSet.Node n = windowSums[w].node(x.member());
        if (n == null || n.score() != x.score()) {
          throw new AssertionError("window " + w + " sum differs for " + Arrays.toString(x.member()));
        }
      }
    }
  }
}
