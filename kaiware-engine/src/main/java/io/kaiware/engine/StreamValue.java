package io.kaiware.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Redis stream (Redis 7.0's t_stream.c): entries of field-value pairs keyed by increasing IDs,
 * plus consumer groups with their pending entries lists.
 *
 * <h2>Layout: a sorted array of blocks that are Redis's nodes</h2>
 * Entries live in {@link Node}s held in one {@code ArrayList} sorted by each node's first ID (what
 * Redis keeps in a radix tree keyed by the node's master ID), each node a run of parallel arrays —
 * {@code long[] ms, long[] seq, byte[][][] fieldsValues} — appended at the tail only. A lookup is
 * a binary search over the nodes, then one inside the node; appends are O(1); a stream of n
 * entries costs its field and value arrays plus about 24 bytes per entry, no object per entry.
 *
 * <p>The blocks are not merely an implementation choice: Redis's answers depend on them. A node
 * takes entries until it holds {@code stream-node-max-entries} (live and deleted) or its listpack
 * would reach {@code stream-node-max-bytes}; XDEL only marks an entry deleted (a tombstone, here
 * a {@code null} field array) and frees the node when its last live entry goes; and trimming with
 * {@code ~} removes whole nodes only. So the nodes are cut exactly where Redis cuts its
 * listpacks — the byte limit with an estimate of the listpack's size ({@link #listpackBytes}) —
 * which makes {@code XADD ... MAXLEN ~ 555} leave the 600 entries Redis leaves. The node layout is
 * part of the value (the snapshot codec keeps it), so replicas trim identically; the two limits
 * are per server, like the listpack ones, and the members of a group must agree on them.
 *
 * <h2>Consumer groups</h2>
 * Groups and consumers are {@code TreeMap}s ordered by their names' bytes (Redis's rax order);
 * a pending entry ({@link Nack}) is shared by the group's PEL and its consumer's. Every time —
 * delivery times, seen times — is the command (log) time the caller passes in, never a clock.
 */
public final class StreamValue implements CollectionValue {

  /** Redis's STREAM_LISTPACK_MAX_SIZE: the byte limit of a node whatever the configuration. */
  public static final long LISTPACK_MAX_BYTES = 1L << 30;
  /** Redis's SCG_INVALID_ENTRIES_READ. */
  public static final long INVALID_ENTRIES_READ = -1;

  /** One node: entries appended in ID order; a deleted entry keeps its ID with null fields. */
  static final class Node {
    long[] ms = new long[4];
    long[] seq = new long[4];
    byte[][][] fieldsValues = new byte[4][][];
    /** Entries appended (live and deleted). */
    int count;
    int live;
    /** Estimated listpack size (the byte limit). */
    long bytes;

    void add(long m, long s, byte[][] fv) {
      if (count == ms.length) {
        int cap = count * 2;
        ms = Arrays.copyOf(ms, cap);
        seq = Arrays.copyOf(seq, cap);
        fieldsValues = Arrays.copyOf(fieldsValues, cap);
      }
      ms[count] = m;
      seq[count] = s;
      fieldsValues[count] = fv;
      count++;
      live++;
    }

    int compareAt(int i, long m, long s) {
      return StreamId.compare(ms[i], seq[i], m, s);
    }

    /** The first position whose ID is >= (m, s), or count. */
    int lowerBound(long m, long s) {
      int lo = 0;
      int hi = count;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (compareAt(mid, m, s) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    Node copy() {
      Node n = new Node();
      n.ms = ms.clone();
      n.seq = seq.clone();
      n.fieldsValues = fieldsValues.clone();
      n.count = count;
      n.live = live;
      n.bytes = bytes;
      return n;
    }
  }

  /** A pending entry: delivered to {@code consumer}, not yet acknowledged. */
  public static final class Nack {
    Consumer consumer;
    public long deliveryTimeMs;
    public long deliveryCount;

    Nack(Consumer consumer, long deliveryTimeMs, long deliveryCount) {
      this.consumer = consumer;
      this.deliveryTimeMs = deliveryTimeMs;
      this.deliveryCount = deliveryCount;
    }

    public Consumer consumer() {
      return consumer;
    }
  }

  /** A consumer of a group: its name, when it was last seen, and its own PEL. */
  public static final class Consumer {
    final byte[] name;
    public long seenTimeMs;
    final TreeMap<StreamId, Nack> pel = new TreeMap<>();

    Consumer(byte[] name, long seenTimeMs) {
      this.name = name;
      this.seenTimeMs = seenTimeMs;
    }

    public byte[] name() {
      return name;
    }

    public TreeMap<StreamId, Nack> pel() {
      return pel;
    }
  }

  /** A consumer group. */
  public static final class Group {
    public StreamId lastId;
    /** The logical read counter of {@link #lastId}, or {@link #INVALID_ENTRIES_READ}. */
    public long entriesRead;
    final TreeMap<StreamId, Nack> pel = new TreeMap<>();
    final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    Group(StreamId lastId, long entriesRead) {
      this.lastId = lastId;
      this.entriesRead = entriesRead;
    }

    public TreeMap<StreamId, Nack> pel() {
      return pel;
    }

    public TreeMap<byte[], Consumer> consumers() {
      return consumers;
    }

    public Consumer consumer(byte[] name) {
      return consumers.get(name);
    }

    /** Creates consumer {@code name} seen at {@code nowMs}; null when it exists. */
    public Consumer createConsumer(byte[] name, long nowMs) {
      if (consumers.containsKey(name)) {
        return null;
      }
      Consumer c = new Consumer(name, nowMs);
      consumers.put(name, c);
      return c;
    }

    /** The consumer {@code name}, created if missing; either way seen at {@code nowMs}. */
    public Consumer touchConsumer(byte[] name, long nowMs) {
      Consumer c = consumers.get(name);
      if (c == null) {
        return createConsumer(name, nowMs);
      }
      c.seenTimeMs = nowMs;
      return c;
    }

    /** Deletes a consumer and its pending entries; returns how many it had. */
    public int deleteConsumer(Consumer c) {
      int pending = c.pel.size();
      for (StreamId id : c.pel.keySet()) {
        pel.remove(id);
      }
      consumers.remove(c.name);
      return pending;
    }

    /** Acknowledges {@code id}: true when it was pending. */
    public boolean ack(StreamId id) {
      Nack n = pel.remove(id);
      if (n == null) {
        return false;
      }
      n.consumer.pel.remove(id);
      return true;
    }

    /**
     * Records a delivery of {@code id} to {@code consumer} at {@code nowMs} (XREADGROUP): a new
     * pending entry, or one that was pending (with anyone) reassigned with a count of 1.
     */
    public void deliver(StreamId id, Consumer consumer, long nowMs) {
      Nack n = pel.get(id);
      if (n == null) {
        n = new Nack(consumer, nowMs, 1);
        pel.put(id, n);
        consumer.pel.put(id, n);
        return;
      }
      n.consumer.pel.remove(id);
      n.consumer = consumer;
      n.deliveryTimeMs = nowMs;
      n.deliveryCount = 1;
      consumer.pel.put(id, n);
    }

    /** Creates a pending entry owned by nobody yet (XCLAIM FORCE); {@link #claim} assigns it. */
    public Nack forceNack(StreamId id) {
      Nack n = new Nack(null, 0, 0);
      pel.put(id, n);
      return n;
    }

    /** Moves {@code n} (pending {@code id}) to {@code consumer}. */
    public void claim(StreamId id, Nack n, Consumer consumer) {
      if (n.consumer != consumer) {
        if (n.consumer != null) {
          n.consumer.pel.remove(id);
        }
        consumer.pel.put(id, n);
        n.consumer = consumer;
      }
    }
  }

  private final ArrayList<Node> nodes = new ArrayList<>();
  private long length;
  private StreamId lastId = StreamId.MIN;
  private StreamId firstId = StreamId.MIN;
  private StreamId maxDeletedId = StreamId.MIN;
  private long entriesAdded;
  private final TreeMap<byte[], Group> groups = new TreeMap<>(Arrays::compareUnsigned);

  public long length() {
    return length;
  }

  public StreamId lastId() {
    return lastId;
  }

  public StreamId firstId() {
    return firstId;
  }

  public StreamId maxDeletedId() {
    return maxDeletedId;
  }

  public long entriesAdded() {
    return entriesAdded;
  }

  /** The nodes in ID order, read-only (the RDB writer serialises each as one of Redis's listpacks). */
  List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** Radix-tree keys in Redis: the number of nodes. */
  public int nodeCount() {
    return nodes.size();
  }

  /** XSETID: the last ID, and optionally the added-entries counter and the max deleted ID. */
  public void setIds(StreamId last, long added, StreamId maxDeleted) {
    lastId = last;
    if (added >= 0) {
      entriesAdded = added;
    }
    if (maxDeleted != null && !maxDeleted.isZero()) {
      maxDeletedId = maxDeleted;
    }
  }

  // ---------------------------------------------------------------- entries

  /** Receives entries; returns false to stop. */
  @FunctionalInterface
  public interface EntryVisitor {
    boolean visit(long ms, long seq, byte[][] fieldsValues);
  }

  /**
   * Appends an entry with {@code id}, which the caller has checked is above {@link #lastId()};
   * a new node is started as Redis would ({@code maxNodeBytes}, {@code maxNodeEntries}: the
   * server's stream-node-max-bytes and -entries, 0 = no limit).
   */
  public void append(StreamId id, byte[][] fieldsValues, long maxNodeBytes, long maxNodeEntries) {
    long rawBytes = 0;
    for (byte[] b : fieldsValues) {
      rawBytes += b.length;
    }
    if (maxNodeBytes == 0 || maxNodeBytes > LISTPACK_MAX_BYTES) {
      maxNodeBytes = LISTPACK_MAX_BYTES;
    }
    Node tail = nodes.isEmpty() ? null : nodes.get(nodes.size() - 1);
    if (tail != null && (tail.bytes + rawBytes >= maxNodeBytes || (maxNodeEntries > 0 && tail.count >= maxNodeEntries))) {
      tail = null;
    }
    if (tail == null) {
      tail = new Node();
      // Header and terminator (7 B); master entry: count, deleted, field count, the fields, 0.
      tail.bytes = 7 + 2 + 2 + 2 + 2;
      for (int i = 0; i < fieldsValues.length; i += 2) {
        tail.bytes += listpackBytes(fieldsValues[i]);
      }
      nodes.add(tail);
    }
    tail.bytes += entryBytes(tail, id, fieldsValues);
    tail.add(id.ms(), id.seq(), fieldsValues);
    length++;
    entriesAdded++;
    lastId = id;
    if (length == 1) {
      firstId = id;
    }
  }

  /**
   * The estimate {@link #append} would have reached for {@code node} had its entries been appended
   * one by one (deleted ones included, with the fields they had): the size that decides where the
   * next node starts. RdbValueReader gives it to nodes loaded from listpacks, so a restored stream
   * splits its nodes as the original would.
   */
  static long estimatedBytes(Node node) {
    long bytes = 7 + 2 + 2 + 2 + 2;
    byte[][] first = node.fieldsValues[0];
    for (int i = 0; i < first.length; i += 2) {
      bytes += listpackBytes(first[i]);
    }
    Node replay = new Node();
    for (int i = 0; i < node.count; i++) {
      bytes += entryBytes(replay, new StreamId(node.ms[i], node.seq[i]), node.fieldsValues[i]);
      replay.add(node.ms[i], node.seq[i], node.fieldsValues[i]);
    }
    return bytes;
  }

  /**
   * A stream of nodes loaded and checked by RdbValueReader (entries in increasing ID order, none
   * of them empty), with its recorded IDs and counters; groups are added with {@link #createGroup}.
   */
  static StreamValue loaded(List<Node> nodes, StreamId last, StreamId first, StreamId maxDeleted, long added) {
    StreamValue s = new StreamValue();
    for (Node node : nodes) {
      s.nodes.add(node);
      s.length += node.live;
    }
    s.lastId = last;
    s.firstId = first;
    s.maxDeletedId = maxDeleted;
    s.entriesAdded = added;
    return s;
  }

  /** The listpack bytes an entry adds to {@code node} (flags, ID deltas, fields unless the master's, values, count). */
  private static long entryBytes(Node node, StreamId id, byte[][] fv) {
    long bytes = 2 + 2;
    long msDelta = node.count == 0 ? 0 : id.ms() - node.ms[0];
    long seqDelta = node.count == 0 ? 0 : id.seq() - node.seq[0];
    bytes += integerBytes(msDelta) + integerBytes(seqDelta);
    byte[][] master = node.count == 0 ? fv : node.fieldsValues[0];
    boolean sameFields = master != null && master.length == fv.length;
    for (int i = 0; sameFields && i < fv.length; i += 2) {
      sameFields = Arrays.equals(master[i], fv[i]);
    }
    if (!sameFields) {
      bytes += 2;
    }
    for (int i = 0; i < fv.length; i++) {
      if (!sameFields || (i & 1) == 1) {
        bytes += listpackBytes(fv[i]);
      }
    }
    return bytes;
  }

  /** The bytes of one listpack element holding {@code s}: an integer encoding when it is one, else length, data and back-length. */
  static long listpackBytes(byte[] s) {
    long v = parseLong(s);
    if (v != Long.MIN_VALUE || (s.length == 20 && s[0] == '-')) {
      return integerBytes(v);
    }
    int n = s.length;
    int header = n < 64 ? 1 : n < 4096 ? 2 : 5;
    int total = header + n;
    return total + (total < 128 ? 1 : total < 16384 ? 2 : total < 2097152 ? 3 : total < 268435456 ? 4 : 5);
  }

  private static long integerBytes(long v) {
    if (v >= 0 && v <= 127) {
      return 2;
    }
    if (v >= -4096 && v <= 4095) {
      return 3;
    }
    if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
      return 4;
    }
    if (v >= -(1 << 23) && v < (1 << 23)) {
      return 5;
    }
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      return 6;
    }
    return 10;
  }

  /** A strict decimal long (as Redis's string2ll), else Long.MIN_VALUE. */
  private static long parseLong(byte[] s) {
    if (s.length == 0 || s.length > 20 || (s.length > 1 && s[0] == '0')) {
      return Long.MIN_VALUE;
    }
    int i = 0;
    boolean negative = s[0] == '-';
    if (negative) {
      i = 1;
      if (s.length == 1 || s[1] == '0') {
        return Long.MIN_VALUE;
      }
    }
    long v = 0;
    for (; i < s.length; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) {
        return Long.MIN_VALUE;
      }
      if (v < (Long.MIN_VALUE + d) / 10) {
        return Long.MIN_VALUE;
      }
      v = v * 10 - d;
    }
    return negative ? v : (v == Long.MIN_VALUE ? Long.MIN_VALUE : -v);
  }

  /** The index of the last node whose first ID is <= (ms, seq), or -1. */
  private int nodeFor(long ms, long seq) {
    int lo = 0;
    int hi = nodes.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (nodes.get(mid).compareAt(0, ms, seq) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The fields and values of entry {@code id}, or null when there is no such (live) entry. */
  public byte[][] get(StreamId id) {
    int n = nodeFor(id.ms(), id.seq());
    if (n < 0) {
      return null;
    }
    Node node = nodes.get(n);
    int i = node.lowerBound(id.ms(), id.seq());
    return i < node.count && node.compareAt(i, id.ms(), id.seq()) == 0 ? node.fieldsValues[i] : null;
  }

  /**
   * Visits the live entries with IDs in [start, end], ascending, or descending when {@code reverse}.
   */
  public void range(StreamId start, StreamId end, boolean reverse, EntryVisitor visitor) {
    if (start.compareTo(end) > 0 || nodes.isEmpty()) {
      return;
    }
    if (!reverse) {
      int n = Math.max(0, nodeFor(start.ms(), start.seq()));
      int i = nodes.get(n).lowerBound(start.ms(), start.seq());
      for (; n < nodes.size(); n++, i = 0) {
        Node node = nodes.get(n);
        for (; i < node.count; i++) {
          if (node.compareAt(i, end.ms(), end.seq()) > 0) {
            return;
          }
          if (node.fieldsValues[i] != null && !visitor.visit(node.ms[i], node.seq[i], node.fieldsValues[i])) {
            return;
          }
        }
      }
    } else {
      int n = nodeFor(end.ms(), end.seq());
      if (n < 0) {
        return;
      }
      Node last = nodes.get(n);
      int i = last.lowerBound(end.ms(), end.seq());
      if (i == last.count || last.compareAt(i, end.ms(), end.seq()) > 0) {
        i--;
      }
      for (; n >= 0; n--) {
        Node node = nodes.get(n);
        if (node != last) {
          i = node.count - 1;
        }
        for (; i >= 0; i--) {
          if (node.compareAt(i, start.ms(), start.seq()) < 0) {
            return;
          }
          if (node.fieldsValues[i] != null && !visitor.visit(node.ms[i], node.seq[i], node.fieldsValues[i])) {
            return;
          }
        }
      }
    }
  }

  /** The first (or last) live entry's ID, or null when there is none (Redis's streamGetEdgeID with tombstones skipped). */
  public StreamId edgeId(boolean first) {
    StreamId[] found = new StreamId[1];
    range(StreamId.MIN, StreamId.MAX, !first, (ms, seq, fv) -> {
      found[0] = new StreamId(ms, seq);
      return false;
    });
    return found[0];
  }

  /** Redis's streamLastValidID: the last live entry's ID, 0-0 when there is none. */
  public StreamId lastValidId() {
    StreamId id = edgeId(false);
    return id == null ? StreamId.MIN : id;
  }

  /** XDEL of one ID: marks it deleted; true when it was a live entry. Updates first ID and max deleted ID. */
  public boolean delete(StreamId id) {
    int n = nodeFor(id.ms(), id.seq());
    if (n < 0) {
      return false;
    }
    Node node = nodes.get(n);
    int i = node.lowerBound(id.ms(), id.seq());
    if (i == node.count || node.compareAt(i, id.ms(), id.seq()) != 0 || node.fieldsValues[i] == null) {
      return false;
    }
    node.fieldsValues[i] = null;
    node.live--;
    length--;
    if (node.live == 0) {
      nodes.remove(n);
    }
    if (id.compareTo(maxDeletedId) > 0) {
      maxDeletedId = id;
    }
    if (length == 0) {
      firstId = StreamId.MIN;
    } else if (id.equals(firstId)) {
      firstId = edgeId(true);
    }
    return true;
  }

  /**
   * Redis's streamTrim: by length ({@code minId} null) to {@code maxLen} entries, or to entries
   * at or above {@code minId}; {@code approx} removes whole nodes only; {@code limit} (0: none)
   * caps the entries removed. Returns how many were removed.
   */
  public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
    long deleted = 0;
    int n = 0;
    while (n < nodes.size()) {
      if (minId == null && length <= maxLen) {
        break;
      }
      Node node = nodes.get(n);
      long entries = node.live;
      if (limit != 0 && deleted + entries > limit) {
        break;
      }
      boolean removeNode = minId == null
          ? length - entries >= maxLen
          : node.compareAt(node.count - 1, minId.ms(), minId.seq()) < 0;
      if (removeNode) {
        nodes.remove(n);
        length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) {
        break;
      }
      for (int i = 0; i < node.count; i++) {
        boolean stop = minId == null ? length <= maxLen : node.compareAt(i, minId.ms(), minId.seq()) >= 0;
        if (stop) {
          break;
        }
        if (node.fieldsValues[i] != null) {
          node.fieldsValues[i] = null;
          node.live--;
          length--;
          deleted++;
        }
      }
      break;
    }
    if (length == 0) {
      firstId = StreamId.MIN;
    } else if (deleted > 0) {
      firstId = edgeId(true);
    }
    return deleted;
  }

  // ---------------------------------------------------------------- groups

  public Group group(byte[] name) {
    return groups.get(name);
  }

  public TreeMap<byte[], Group> groups() {
    return groups;
  }

  /** Creates group {@code name}; null when it exists. */
  public Group createGroup(byte[] name, StreamId lastDelivered, long entriesRead) {
    if (groups.containsKey(name)) {
      return null;
    }
    Group g = new Group(lastDelivered, entriesRead);
    groups.put(name, g);
    return g;
  }

  public boolean destroyGroup(byte[] name) {
    return groups.remove(name) != null;
  }

  /** Redis's streamRangeHasTombstones over [start, end] (null: open). */
  public boolean rangeHasTombstones(StreamId start, StreamId end) {
    if (length == 0 || maxDeletedId.isZero() || firstId.compareTo(maxDeletedId) > 0) {
      return false;
    }
    StreamId s = start == null ? StreamId.MIN : start;
    StreamId e = end == null ? StreamId.MAX : end;
    return s.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(e) <= 0;
  }

  /** Redis's streamEstimateDistanceFromFirstEverEntry: the logical read counter of {@code id}, or {@link #INVALID_ENTRIES_READ}. */
  public long estimateDistanceFromFirstEverEntry(StreamId id) {
    if (entriesAdded == 0) {
      return 0;
    }
    if (length == 0 && id.compareTo(lastId) < 1) {
      return entriesAdded;
    }
    int cmpLast = id.compareTo(lastId);
    if (cmpLast == 0) {
      return entriesAdded;
    } else if (cmpLast > 0) {
      return INVALID_ENTRIES_READ;
    }
    int cmpFirst = id.compareTo(firstId);
    if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
      if (cmpFirst < 0) {
        return entriesAdded - length;
      } else if (cmpFirst == 0) {
        return entriesAdded - length + 1;
      }
    }
    return INVALID_ENTRIES_READ;
  }

  /** Redis's streamReplyWithCGLag: the group's lag, or -1 when it cannot be known (a null reply). */
  public long lag(Group g) {
    if (entriesAdded == 0) {
      return 0;
    }
    if (g.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastId, null)) {
      return entriesAdded - g.entriesRead;
    }
    long read = estimateDistanceFromFirstEverEntry(g.lastId);
    return read == INVALID_ENTRIES_READ ? -1 : entriesAdded - read;
  }

  /** A group read entry {@code id} (above its last delivered ID): advances the last ID and read counter as Redis. */
  public void groupRead(Group g, StreamId id) {
    if (g.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(id, null)) {
      g.entriesRead++;
    } else if (entriesAdded != 0) {
      g.entriesRead = estimateDistanceFromFirstEverEntry(id);
    }
    g.lastId = id;
  }

  // ---------------------------------------------------------------- codec

  /** The body after the type tag (ValueCodec): nodes as they are, the IDs and counters, the groups. */
  void encode(ValueCodec.Out out) {
    out.writeVarint(nodes.size());
    for (Node node : nodes) {
      out.writeVarint(node.count);
      out.writeVarint(node.bytes);
      for (int i = 0; i < node.count; i++) {
        out.writeLong(node.ms[i]);
        out.writeLong(node.seq[i]);
        byte[][] fv = node.fieldsValues[i];
        if (fv == null) {
          out.writeVarint(0);
        } else {
          out.writeVarint(fv.length / 2);
          for (byte[] b : fv) {
            out.writeBytes(b);
          }
        }
      }
    }
    writeId(out, lastId);
    writeId(out, firstId);
    writeId(out, maxDeletedId);
    out.writeLong(entriesAdded);
    out.writeVarint(groups.size());
    for (Map.Entry<byte[], Group> e : groups.entrySet()) {
      Group g = e.getValue();
      out.writeBytes(e.getKey());
      writeId(out, g.lastId);
      out.writeLong(g.entriesRead);
      out.writeVarint(g.consumers.size());
      for (Consumer c : g.consumers.values()) {
        out.writeBytes(c.name);
        out.writeLong(c.seenTimeMs);
      }
      out.writeVarint(g.pel.size());
      for (Map.Entry<StreamId, Nack> p : g.pel.entrySet()) {
        writeId(out, p.getKey());
        out.writeBytes(p.getValue().consumer.name);
        out.writeLong(p.getValue().deliveryTimeMs);
        out.writeLong(p.getValue().deliveryCount);
      }
    }
  }

  private static void writeId(ValueCodec.Out out, StreamId id) {
    out.writeLong(id.ms());
    out.writeLong(id.seq());
  }

  private static StreamId readId(ValueCodec.In in) {
    return new StreamId(in.readLong(), in.readLong());
  }

  /** Decodes {@link #encode}'s body; throws {@link ValueCodec.Malformed} on bad input. */
  static StreamValue decode(ValueCodec.In in) {
    StreamValue s = new StreamValue();
    int nodeCount = in.readLength();
    StreamId previous = null;
    for (int n = 0; n < nodeCount; n++) {
      int count = in.readLength();
      if (count == 0) {
        throw malformed();
      }
      Node node = new Node();
      node.bytes = in.readVarint();
      for (int i = 0; i < count; i++) {
        StreamId id = readId(in);
        if (previous != null && id.compareTo(previous) <= 0) {
          throw malformed();
        }
        previous = id;
        int pairs = in.readLength();
        byte[][] fv = null;
        if (pairs > 0) {
          fv = new byte[pairs * 2][];
          for (int j = 0; j < fv.length; j++) {
            fv[j] = in.readBytes();
          }
        }
        node.add(id.ms(), id.seq(), fv);
        if (fv == null) {
          node.live--;
        }
      }
      s.length += node.live;
      s.nodes.add(node);
    }
    s.lastId = readId(in);
    s.firstId = readId(in);
    s.maxDeletedId = readId(in);
    s.entriesAdded = in.readLong();
    if (previous != null && previous.compareTo(s.lastId) > 0) {
      throw malformed();
    }
    int groupCount = in.readLength();
    for (int i = 0; i < groupCount; i++) {
      byte[] name = in.readBytes();
      Group g = s.createGroup(name, readId(in), in.readLong());
      if (g == null) {
        throw malformed();
      }
      int consumers = in.readLength();
      for (int j = 0; j < consumers; j++) {
        byte[] cname = in.readBytes();
        if (g.createConsumer(cname, in.readLong()) == null) {
          throw malformed();
        }
      }
      int pending = in.readLength();
      for (int j = 0; j < pending; j++) {
        StreamId id = readId(in);
        Consumer c = g.consumers.get(in.readBytes());
        if (c == null || g.pel.containsKey(id)) {
          throw malformed();
        }
        Nack nack = new Nack(c, in.readLong(), in.readLong());
        g.pel.put(id, nack);
        c.pel.put(id, nack);
      }
    }
    return s;
  }

  private static ValueCodec.Malformed malformed() {
    return ValueCodec.Malformed.INSTANCE;
  }

  // ---------------------------------------------------------------- CollectionValue

  @Override
  public String typeName() {
    return "stream";
  }

  @Override
  public String encoding() {
    return "stream";
  }

  @Override
  public StreamValue deepCopy() {
    StreamValue copy = new StreamValue();
    for (Node node : nodes) {
      copy.nodes.add(node.copy());
    }
    copy.length = length;
    copy.lastId = lastId;
    copy.firstId = firstId;
    copy.maxDeletedId = maxDeletedId;
    copy.entriesAdded = entriesAdded;
    for (Map.Entry<byte[], Group> e : groups.entrySet()) {
      Group g = e.getValue();
      Group cg = copy.createGroup(e.getKey(), g.lastId, g.entriesRead);
      for (Consumer c : g.consumers.values()) {
        cg.createConsumer(c.name, c.seenTimeMs);
      }
      for (Map.Entry<StreamId, Nack> p : g.pel.entrySet()) {
        Nack n = p.getValue();
        Consumer owner = cg.consumers.get(n.consumer.name);
        Nack cn = new Nack(owner, n.deliveryTimeMs, n.deliveryCount);
        cg.pel.put(p.getKey(), cn);
        owner.pel.put(p.getKey(), cn);
      }
    }
    return copy;
  }

  @Override
  public long estimateBytes() {
    long bytes = HeapLayout.align(HeapLayout.OBJECT_HEADER_BYTES + 6L * HeapLayout.REFERENCE_BYTES + 16);
    for (Node node : nodes) {
      bytes += HeapLayout.align(HeapLayout.OBJECT_HEADER_BYTES + 3L * HeapLayout.REFERENCE_BYTES + 16)
          + 2 * HeapLayout.array(8, node.ms.length) + HeapLayout.array(HeapLayout.REFERENCE_BYTES, node.ms.length);
      for (int i = 0; i < node.count; i++) {
        byte[][] fv = node.fieldsValues[i];
        if (fv != null) {
          bytes += HeapLayout.array(HeapLayout.REFERENCE_BYTES, fv.length);
          for (byte[] b : fv) {
            bytes += CollectionValue.arrayBytes(b.length);
          }
        }
      }
    }
    for (Group g : groups.values()) {
      // A TreeMap entry is about 40 B; a pending entry is shared by two maps.
      bytes += 64 + g.pel.size() * (40L * 2 + 32 + 32);
      for (Consumer c : g.consumers.values()) {
        bytes += 40 + 48 + CollectionValue.arrayBytes(c.name.length);
      }
    }
    return bytes;
  }

  /**
   * Each entry is named by its ID, its content the fields and values (each length-prefixed);
   * the counters and every group (last ID, read counter, consumers, pending entries) are
   * elements too, so a digest compares the whole value, never its node layout.
   */
  @Override
  public void digestElements(ElementSink sink) {
    range(StreamId.MIN, StreamId.MAX, false, (ms, seq, fv) -> {
      sink.element(ascii(new StreamId(ms, seq).toString()), joined(fv));
      return true;
    });
    sink.element(ascii("!meta"), ascii(lastId + " " + firstId + " " + maxDeletedId + " " + entriesAdded));
    for (Map.Entry<byte[], Group> e : groups.entrySet()) {
      Group g = e.getValue();
      String prefix = "!group " + new String(e.getKey(), StandardCharsets.ISO_8859_1);
      sink.element(ascii(prefix), ascii(g.lastId + " " + g.entriesRead));
      for (Consumer c : g.consumers.values()) {
        sink.element(ascii(prefix + " consumer " + new String(c.name, StandardCharsets.ISO_8859_1)),
            ascii(Long.toString(c.seenTimeMs)));
      }
      for (Map.Entry<StreamId, Nack> p : g.pel.entrySet()) {
        Nack n = p.getValue();
        sink.element(ascii(prefix + " pending " + p.getKey()), ascii(
            new String(n.consumer.name, StandardCharsets.ISO_8859_1) + " " + n.deliveryTimeMs + " " + n.deliveryCount));
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] joined(byte[][] fv) {
    ValueCodec.Out out = new ValueCodec.Out();
    for (byte[] b : fv) {
      out.writeBytes(b);
    }
    return out.toArray(0);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("stream[");
    range(StreamId.MIN, StreamId.MAX, false, (ms, seq, fv) -> {
      sb.append(new StreamId(ms, seq)).append(' ');
      return true;
    });
    return sb.append(']').toString();
  }
}
