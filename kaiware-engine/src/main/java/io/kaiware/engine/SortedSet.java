package io.kaiware.engine;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A Redis sorted set: unique binary members ordered by (score, member), with O(log N) insert,
 * delete, rank, and range lookup.
 *
 * <h2>Structure</h2>
 * Two indexes over the same nodes, as in Redis's {@code zset}:
 * <ul>
 *   <li>a member index ({@link KeyTable} from member to {@link Node}) for O(1) ZSCORE, membership
 *       and the ZSCAN cursor (the table's reverse-binary cursor survives resizes);</li>
 *   <li>an indexable skip list ordered by score, ties broken by the members' unsigned byte order
 *       ({@code memcmp}), which is what ZRANGE, the lex ranges and ZRANK need.</li>
 * </ul>
 *
 * <h2>Why a skip list with spans</h2>
 * Each node has a tower of 1..32 forward links; a node reaches level k+1 with probability 1/4, so
 * the expected tower is 1.33 links and a search visits O(log N) nodes. Every link also records its
 * <em>span</em>, the number of level-0 steps it jumps. Summing the spans on the search path gives a
 * node's rank, and walking down while the running sum stays at most r finds the node of rank r:
 * both O(log N) without a separate order-statistic structure. Insertion and deletion fix the spans
 * of the links on the search path ("update" path), which a search records anyway. Level-0 links
 * are doubled with backward links so that reverse ranges walk in O(1) per element.
 *
 * <p>A balanced order-statistic tree would give the same bounds; the skip list was chosen because
 * range iteration is a plain linked-list walk from the first node found, rank arithmetic is local
 * to one search path, and its behaviour (and error replies built on it) mirrors Redis directly.
 *
 * <h2>Determinism</h2>
 * Tower heights come from a per-set xorshift generator with a fixed seed, never from an unseeded
 * source: replicas applying the same commands build the same towers. Heights only affect speed,
 * never a reply, so a set rebuilt from a snapshot may differ in shape without any visible effect.
 *
 * <h2>Allocation</h2>
 * A node costs its object and its two tower arrays. What a set costs beyond its nodes is kept
 * small, because small sets are common (a leaderboard per user, RANKING's per-bucket sets): the
 * header's tower starts at {@link #INITIAL_HEADER_LEVEL} links and doubles when a taller node
 * arrives, and the search-path scratch arrays of insert and delete are shared by every set on a
 * thread ({@link Scratch}) instead of being held by each set: 288-416 B less per set, depending
 * on the reference size (docs/benchmarks/zset.md). Not thread-safe.
 */
public final class SortedSet implements CollectionValue {

  /** The tallest tower; 4^32 elements would be needed to make taller ones useful. */
  static final int MAX_LEVEL = 32;

  /** The header's first tower height; enough for a few hundred elements before it grows. */
  static final int INITIAL_HEADER_LEVEL = 4;

  /**
   * The search path of an insert or delete: the predecessor on each level and its rank. One per
   * thread, shared by every set on it — the engine runs on one thread, and tests that run several
   * engines give each its own thread. No operation of one set calls into another mid-path.
   */
  private static final class Scratch {
    final Node[] update = new Node[MAX_LEVEL];
    final int[] rank = new int[MAX_LEVEL];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** One element: its member, score and tower. */
  public static final class Node {
    final byte[] member;
    double score;
    Node backward;
    /** Final in effect for every node but the header, whose tower grows (SortedSet.growHeader). */
    Node[] forward;
    int[] span;

    Node(byte[] member, double score, int level) {
      this.member = member;
      this.score = score;
      this.forward = new Node[level];
      this.span = new int[level];
    }

    public byte[] member() {
      return member;
    }

    public double score() {
      return score;
    }

    /** The next element in ascending order, or {@code null}. */
    public Node next() {
      return forward[0];
    }

    /** The previous element in ascending order, or {@code null}. */
    public Node previous() {
      return backward;
    }
  }

  /**
   * An interval of the set's order, by score ({@link ScoreRange}) or by member ({@link LexRange}):
   * what the range lookups, counts and removals below share.
   */
  public sealed interface Range permits ScoreRange, LexRange {
    /** Whether {@code n} is at or above the interval's lower end. */
    default boolean aboveMin(Node n) {
      return switch (this) {
        case ScoreRange r -> r.aboveMin(n.score);
        case LexRange r -> r.aboveMin(n.member);
      };
    }

    /** Whether {@code n} is at or below the interval's upper end. */
    default boolean belowMax(Node n) {
      return switch (this) {
        case ScoreRange r -> r.belowMax(n.score);
        case LexRange r -> r.belowMax(n.member);
      };
    }

    /** Whether no element can be in the interval (min above max, or equal with an exclusive end). */
    boolean isEmpty();
  }

  /** A score interval; each end may be exclusive ("(1.5" in ZRANGEBYSCORE). */
  public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) implements Range {
    public boolean aboveMin(double value) {
      return minExclusive ? value > min : value >= min;
    }

    public boolean belowMax(double value) {
      return maxExclusive ? value < max : value <= max;
    }

    @Override
    public boolean isEmpty() {
      return min > max || (min == max && (minExclusive || maxExclusive));
    }
  }

  /**
   * A member interval for the BYLEX commands. An end is a member (inclusive or exclusive) or an
   * infinity: {@code infinity} -1 is "-" (below every member), +1 is "+" (above every member).
   */
  public record LexBound(byte[] value, boolean exclusive, int infinity) {
    public static final LexBound MINUS = new LexBound(null, true, -1);
    public static final LexBound PLUS = new LexBound(null, true, 1);

    /** Compares a member with this bound: negative when the member sorts below it. */
    int compareMember(byte[] member) {
      return infinity != 0 ? -infinity : compareMembers(member, value);
    }
  }

  /**
   * A member interval. Lex ranges are only meaningful when all scores are equal; with mixed scores
   * Redis leaves the result unspecified, and so does Kaiware.
   */
  public record LexRange(LexBound min, LexBound max) implements Range {
    public boolean aboveMin(byte[] member) {
      int c = min.compareMember(member);
      return min.exclusive ? c > 0 : c >= 0;
    }

    public boolean belowMax(byte[] member) {
      int c = max.compareMember(member);
      return max.exclusive ? c < 0 : c <= 0;
    }

    @Override
    public boolean isEmpty() {
      int c = (min.infinity == 0 && max.infinity == 0) ? compareMembers(min.value, max.value)
          : Integer.compare(min.infinity, max.infinity);
      return c > 0 || (c == 0 && (min.exclusive || max.exclusive));
    }
  }

  private final KeyTable index = new KeyTable();
  private final Node header = new Node(null, 0, INITIAL_HEADER_LEVEL);
  private Node tail;
  private int level = 1;
  private int length;
  private long levelState = 0x9E3779B97F4A7C15L;

  /** Members' order: unsigned bytes, a prefix first (C's memcmp then length). */
  public static int compareMembers(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  public int size() {
    return length;
  }

  /** The node of {@code member}, or {@code null}. */
  public Node node(byte[] member) {
    int slot = index.find(member);
    return slot < 0 ? null : (Node) index.valueAt(slot);
  }

  /** The lowest element, or {@code null}. */
  public Node first() {
    return header.forward[0];
  }

  /** The highest element, or {@code null}. */
  public Node last() {
    return tail;
  }

  /** The member index, for ZSCAN: slots hold member -> {@link Node}. */
  public KeyTable memberTable() {
    return index;
  }

  /**
   * Sets {@code member}'s score, inserting it if absent. NaN is the caller's to reject.
   *
   * @return whether the member is new
   */
  public boolean put(byte[] member, double score) {
    int slot = index.find(member);
    if (slot < 0) {
      Node n = insert(score, member);
      index.put(member, n, KeyTable.NO_EXPIRY);
      return true;
    }
    Node n = (Node) index.valueAt(slot);
    if (n.score != score) {
      Node moved = updateScore(n, score);
      if (moved != n) {
        index.setValueAt(slot, moved);
      }
    }
    return false;
  }

  /**
   * Sets {@code member}'s score to exactly {@code score}, -0 and 0 told apart, inserting it if
   * absent: an aggregate's result (ZUNIONSTORE's sum), which Redis keeps as computed, where
   * {@link #put} leaves an equal score as it is (ZADD's rule).
   *
   * @return whether the member is new
   */
  public boolean putExact(byte[] member, double score) {
    int slot = index.find(member);
    if (slot >= 0) {
      Node n = (Node) index.valueAt(slot);
      if (n.score == score) {
        n.score = score; // at most -0 for 0 or back: the same place in the order
        return false;
      }
    }
    return put(member, score);
  }

  /** Removes {@code member}; returns whether it was present. */
  public boolean remove(byte[] member) {
    int slot = index.find(member);
    if (slot < 0) {
      return false;
    }
    Node n = (Node) index.valueAt(slot);
    index.removeAt(slot);
    index.shrinkIfSparse();
    delete(n.score, n.member);
    return true;
  }

  /** The 0-based ascending rank of {@code member}, or -1 when absent. */
  public long rank(byte[] member) {
    Node n = node(member);
    return n == null ? -1 : rankOf(n) - 1;
  }

  /** The 1-based ascending rank of a node of this set. */
  private long rankOf(Node target) {
    long traversed = 0;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && !precedes(target, x.forward[i])) {
        traversed += x.span[i];
        x = x.forward[i];
      }
      if (x == target) {
        return traversed;
      }
    }
    throw new IllegalStateException("node not in set");
  }

  /** The 0-based ascending rank of a node of this set. */
  public long rankOfNode(Node node) {
    return rankOf(node) - 1;
  }

  /** The element at 0-based ascending rank {@code rank0}, or {@code null} when out of range. */
  public Node byRank(long rank0) {
    if (rank0 < 0 || rank0 >= length) {
      return null;
    }
    long wanted = rank0 + 1;
    long traversed = 0;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && traversed + x.span[i] <= wanted) {
        traversed += x.span[i];
        x = x.forward[i];
      }
      if (traversed == wanted) {
        return x;
      }
    }
    return null;
  }

  /** The lowest element in {@code range}, or {@code null}. */
  public Node firstInRange(Range range) {
    if (!mayIntersect(range)) {
      return null;
    }
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && !range.aboveMin(x.forward[i])) {
        x = x.forward[i];
      }
    }
    x = x.forward[0];
    return x != null && range.belowMax(x) ? x : null;
  }

  /** The highest element in {@code range}, or {@code null}. */
  public Node lastInRange(Range range) {
    if (!mayIntersect(range)) {
      return null;
    }
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && range.belowMax(x.forward[i])) {
        x = x.forward[i];
      }
    }
    return x != header && range.aboveMin(x) ? x : null;
  }

  /**
   * Redis's zslIsInRange / zslIsInLexRange: the range is not empty, the last element is above its
   * minimum and the first below its maximum.
   */
  private boolean mayIntersect(Range range) {
    return !range.isEmpty() && length > 0 && range.aboveMin(tail) && range.belowMax(header.forward[0]);
  }

  /** Elements in {@code range}: two rank lookups, O(log N). */
  public long count(Range range) {
    Node first = firstInRange(range);
    if (first == null) {
      return 0;
    }
    return rankOf(lastInRange(range)) - rankOf(first) + 1;
  }

  /** Removes the elements in {@code range}; returns how many. */
  public long removeRange(Range range) {
    if (range.isEmpty()) {
      return 0;
    }
    Node[] update = SCRATCH.get().update;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && !range.aboveMin(x.forward[i])) {
        x = x.forward[i];
      }
      update[i] = x;
    }
    x = x.forward[0];
    long removed = 0;
    while (x != null && range.belowMax(x)) {
      Node next = x.forward[0];
      unlink(x, update);
      index.remove(x.member);
      removed++;
      x = next;
    }
    index.shrinkIfSparse();
    return removed;
  }

  /** Removes the elements of 0-based ranks {@code start..end} (inclusive, already clamped). */
  public long removeRankRange(long start, long end) {
    Node[] update = SCRATCH.get().update;
    long traversed = 0;
    Node x = header;
    long startRank = start + 1;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && traversed + x.span[i] < startRank) {
        traversed += x.span[i];
        x = x.forward[i];
      }
      update[i] = x;
    }
    traversed++;
    x = x.forward[0];
    long removed = 0;
    while (x != null && traversed <= end + 1) {
      Node next = x.forward[0];
      unlink(x, update);
      index.remove(x.member);
      removed++;
      traversed++;
      x = next;
    }
    index.shrinkIfSparse();
    return removed;
  }

  /** Visits every element in ascending order. */
  public void forEach(Consumer<Node> visitor) {
    for (Node x = header.forward[0]; x != null; x = x.forward[0]) {
      visitor.accept(x);
    }
  }

  // ---------------------------------------------------------------- skip list internals

  /** Whether {@code a} sorts strictly before {@code b}. */
  private static boolean precedes(Node a, Node b) {
    return a.score < b.score || (a.score == b.score && compareMembers(a.member, b.member) < 0);
  }

  /** Whether node {@code a} sorts strictly before (score, member). */
  private static boolean precedes(Node a, double score, byte[] member) {
    return a.score < score || (a.score == score && compareMembers(a.member, member) < 0);
  }

  /** 1 + (trailing zero bits of a xorshift64 draw) / 2: level k+1 with probability 4^-k. */
  private int randomLevel() {
    long x = levelState;
    x ^= x << 13;
    x ^= x >>> 7;
    x ^= x << 17;
    levelState = x;
    int lvl = 1 + Long.numberOfTrailingZeros(x | (1L << 62)) / 2;
    return Math.min(lvl, MAX_LEVEL);
  }

  private Node insert(double score, byte[] member) {
    int lvl = randomLevel();
    if (lvl > header.forward.length) {
      growHeader(lvl);
    }
    Scratch scratch = SCRATCH.get();
    Node[] update = scratch.update;
    int[] rank = scratch.rank;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      rank[i] = i == level - 1 ? 0 : rank[i + 1];
      while (x.forward[i] != null && precedes(x.forward[i], score, member)) {
        rank[i] += x.span[i];
        x = x.forward[i];
      }
      update[i] = x;
    }
    if (lvl > level) {
      for (int i = level; i < lvl; i++) {
        rank[i] = 0;
        update[i] = header;
        header.span[i] = length;
      }
      level = lvl;
    }
    x = new Node(member, score, lvl);
    for (int i = 0; i < lvl; i++) {
      x.forward[i] = update[i].forward[i];
      update[i].forward[i] = x;
      x.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = (rank[0] - rank[i]) + 1;
    }
    for (int i = lvl; i < level; i++) {
      update[i].span[i]++;
    }
    x.backward = update[0] == header ? null : update[0];
    if (x.forward[0] != null) {
      x.forward[0].backward = x;
    } else {
      tail = x;
    }
    length++;
    return x;
  }

  /** Doubles the header's tower (at least to {@code lvl}, at most to {@link #MAX_LEVEL}). */
  private void growHeader(int lvl) {
    int capacity = Math.min(MAX_LEVEL, Math.max(lvl, header.forward.length * 2));
    header.forward = Arrays.copyOf(header.forward, capacity);
    header.span = Arrays.copyOf(header.span, capacity);
  }

  /** Unlinks {@code x}, whose predecessors on every level are in {@code update}. */
  private void unlink(Node x, Node[] update) {
    for (int i = 0; i < level; i++) {
      if (update[i].forward[i] == x) {
        update[i].span[i] += x.span[i] - 1;
        update[i].forward[i] = x.forward[i];
      } else {
        update[i].span[i] -= 1;
      }
    }
    if (x.forward[0] != null) {
      x.forward[0].backward = x.backward;
    } else {
      tail = x.backward;
    }
    while (level > 1 && header.forward[level - 1] == null) {
      level--;
    }
    length--;
  }

  private void delete(double score, byte[] member) {
    Node[] update = SCRATCH.get().update;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && precedes(x.forward[i], score, member)) {
        x = x.forward[i];
      }
      update[i] = x;
    }
    x = x.forward[0];
    if (x == null || x.score != score || !Arrays.equals(x.member, member)) {
      throw new IllegalStateException("skip list and member index disagree");
    }
    unlink(x, update);
  }

  /** Moves {@code n} to {@code score}: in place when its neighbours allow, else delete and insert. */
  private Node updateScore(Node n, double score) {
    Node prev = n.backward;
    Node next = n.forward[0];
    if ((prev == null || precedes(prev, score, n.member))
        && (next == null || score < next.score || (score == next.score && compareMembers(n.member, next.member) < 0))) {
      n.score = score;
      return n;
    }
    delete(n.score, n.member);
    return insert(score, n.member);
  }

  // ---------------------------------------------------------------- CollectionValue

  @Override
  public String typeName() {
    return "zset";
  }

  private boolean compact = true;

  /**
   * Whether Redis 7.0 would still hold this sorted set as a listpack. The representation here is
   * always the skip list; OBJECT ENCODING reports Redis's encoding for the same history ("listpack"
   * until a member longer than zset-max-listpack-value is added or the size passes
   * zset-max-listpack-entries; *STORE results and loads are compact when they fit). The commands
   * keep it.
   */
  public boolean compact() {
    return compact;
  }

  /** Redis's conversion to a skip list: one way. */
  public void leaveCompact() {
    compact = false;
  }

  /** Whether the size fits {@code maxEntries} and every member {@code maxValueBytes}. */
  public boolean fits(int maxEntries, int maxValueBytes) {
    if (size() > maxEntries) {
      return false;
    }
    for (Node x = header.forward[0]; x != null; x = x.forward[0]) {
      if (x.member.length > maxValueBytes) {
        return false;
      }
    }
    return true;
  }

  /** As a Redis load or *STORE decides: compact exactly when the content fits. */
  public void compactIfFits(int maxEntries, int maxValueBytes) {
    compact = fits(maxEntries, maxValueBytes);
  }

  @Override
  public String encoding() {
    return compact ? "listpack" : "skiplist";
  }

  @Override
  public SortedSet deepCopy() {
    SortedSet copy = new SortedSet();
    for (Node x = header.forward[0]; x != null; x = x.forward[0]) {
      copy.put(x.member, x.score);
    }
    copy.compact = compact;
    return copy;
  }

  @Override
  public long estimateBytes() {
    // Set object + header node and its tower; the member index (no expiry array: members never
    // expire); per node: the object (header, score, four references), its two tower arrays and
    // the member array. References are 4 or 8 bytes depending on the JVM (HeapLayout).
    int ref = HeapLayout.REFERENCE_BYTES;
    long nodeBytes = HeapLayout.align(HeapLayout.OBJECT_HEADER_BYTES + 8 + 4L * ref);
    long bytes = 64 + nodeBytes + HeapLayout.array(ref, header.forward.length) + HeapLayout.array(4, header.forward.length)
        + 3 * HeapLayout.ARRAY_HEADER_BYTES + HeapLayout.keyTableSlotBytes() * index.capacity();
    for (Node x = header.forward[0]; x != null; x = x.forward[0]) {
      int height = x.forward.length;
      bytes += nodeBytes + HeapLayout.array(ref, height) + HeapLayout.array(4, height)
          + CollectionValue.arrayBytes(x.member.length);
    }
    return bytes;
  }

  @Override
  public void digestElements(ElementSink sink) {
    for (Node x = header.forward[0]; x != null; x = x.forward[0]) {
      sink.element(x.member, Scores.formatBytes(x.score));
    }
  }

  /** Checks every invariant (ordering, spans, back links, index agreement); for tests. */
  public void checkInvariants() {
    int count = 0;
    Node prev = null;
    for (Node x = header.forward[0]; x != null; x = x.forward[0]) {
      if (prev != null && !precedes(prev, x)) {
        throw new IllegalStateException("out of order at " + count);
      }
      if (x.backward != prev) {
        throw new IllegalStateException("bad backward link at " + count);
      }
      if (node(x.member) != x) {
        throw new IllegalStateException("index does not point at node " + count);
      }
      prev = x;
      count++;
    }
    if (count != length || index.size() != length || tail != prev) {
      throw new IllegalStateException("length " + length + " count " + count + " index " + index.size());
    }
    java.util.Map<Node, Integer> position = new java.util.IdentityHashMap<>();
    position.put(header, 0);
    int p = 0;
    for (Node x = header.forward[0]; x != null; x = x.forward[0]) {
      position.put(x, ++p);
    }
    for (Node x : position.keySet()) {
      for (int i = 0; i < (x == header ? level : x.forward.length); i++) {
        Node f = x.forward[i];
        if (f != null && x.span[i] != position.get(f) - position.get(x)) {
          throw new IllegalStateException("bad span at level " + i);
        }
      }
    }
  }
}
