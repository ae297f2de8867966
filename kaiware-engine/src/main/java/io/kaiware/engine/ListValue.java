package io.kaiware.engine;

import java.util.Arrays;

/**
 * A Redis list: a sequence of binary elements, index 0 at the head (left).
 *
 * <p>A growable ring buffer of element references, so both ends push and pop in O(1) amortised
 * and indexing is O(1); inserting or removing in the middle moves the shorter side. One array for
 * the whole list (no per-element node as in a linked list, where Redis's quicklist packs small
 * runs): a list of n elements costs its n element arrays plus about one reference per element.
 * The ring grows by doubling and halves once it is under a quarter full, so mass pops give memory
 * back. Element arrays are kept by reference (the decoder's fresh argument arrays) and never
 * mutated after they are stored.
 *
 * <p>OBJECT ENCODING reports "quicklist", as Redis 7.0 does for every list.
 */
public final class ListValue implements CollectionValue {

  private static final int MIN_CAPACITY = 4;
  private static final byte[][] EMPTY = new byte[0][];

  /** The ring; its length is zero or a power of two. */
  private byte[][] ring = EMPTY;
  /** The ring index of element 0. */
  private int head;
  private int size;

  public int size() {
    return size;
  }

  /** The ring's length (tests, and the memory estimate). */
  int capacity() {
    return ring.length;
  }

  private int mask() {
    return ring.length - 1;
  }

  /** The ring index of element {@code index} (0 <= index < size). */
  private int at(int index) {
    return (head + index) & mask();
  }

  /** The element at {@code index} (0 <= index < size). */
  public byte[] get(int index) {
    checkIndex(index, size);
    return ring[at(index)];
  }

  /** Replaces the element at {@code index} (0 <= index < size). */
  public void set(int index, byte[] element) {
    checkIndex(index, size);
    ring[at(index)] = element;
  }

  private static void checkIndex(int index, int size) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
  }

  /** Makes room for {@code extra} more elements at once (a push of many: one ring, not several). */
  public void reserve(int extra) {
    ensure(extra);
  }

  private void ensure(int extra) {
    int needed = size + extra;
    if (needed < 0 || needed > 1 << 30) {
      throw new IllegalStateException("list too long");
    }
    if (needed > ring.length) {
      relayout(Math.max(MIN_CAPACITY, Integer.highestOneBit(needed - 1) << 1));
    }
  }

  /** Copies the elements into a fresh ring of {@code capacity}, element 0 at ring index 0. */
  private void relayout(int capacity) {
    byte[][] next = new byte[capacity][];
    if (size > 0) {
      int first = Math.min(size, ring.length - head);
      System.arraycopy(ring, head, next, 0, first);
      System.arraycopy(ring, 0, next, first, size - first);
    }
    ring = next;
    head = 0;
  }

  /** Halves the ring while it is under a quarter full. */
  private void shrinkIfSparse() {
    if (size == 0) {
      ring = EMPTY;
      head = 0;
    } else if (ring.length > MIN_CAPACITY && size < ring.length / 4) {
      relayout(Math.max(MIN_CAPACITY, Integer.highestOneBit(size - 1) << 2));
    }
  }

  /** Adds at the head (LPUSH). */
  public void pushHead(byte[] element) {
    ensure(1);
    head = (head - 1) & mask();
    ring[head] = element;
    size++;
  }

  /** Adds at the tail (RPUSH). */
  public void pushTail(byte[] element) {
    ensure(1);
    ring[at(size)] = element;
    size++;
  }

  /** Removes and returns the head element; the list must not be empty. */
  public byte[] popHead() {
    checkIndex(0, size);
    byte[] e = ring[head];
    ring[head] = null;
    head = (head + 1) & mask();
    size--;
    shrinkIfSparse();
    return e;
  }

  /** Removes and returns the tail element; the list must not be empty. */
  public byte[] popTail() {
    checkIndex(0, size);
    int i = at(size - 1);
    byte[] e = ring[i];
    ring[i] = null;
    size--;
    shrinkIfSparse();
    return e;
  }

  /** Inserts {@code element} so that it becomes element {@code index} (0 <= index <= size). */
  public void insert(int index, byte[] element) {
    checkIndex(index, size + 1);
    ensure(1);
    if (index < size - index) {
      // Move elements [0, index) one step towards the head.
      head = (head - 1) & mask();
      for (int i = 0; i < index; i++) {
        ring[at(i)] = ring[at(i + 1)];
      }
    } else {
      // Move elements [index, size) one step towards the tail.
      for (int i = size; i > index; i--) {
        ring[at(i)] = ring[at(i - 1)];
      }
    }
    ring[at(index)] = element;
    size++;
  }

  /** Removes {@code count} elements from the head. */
  public void removeHead(int count) {
    checkIndex(count, size + 1);
    for (int i = 0; i < count; i++) {
      ring[at(i)] = null;
    }
    head = size == count ? 0 : at(count);
    size -= count;
    shrinkIfSparse();
  }

  /** Removes {@code count} elements from the tail. */
  public void removeTail(int count) {
    checkIndex(count, size + 1);
    for (int i = size - count; i < size; i++) {
      ring[at(i)] = null;
    }
    size -= count;
    shrinkIfSparse();
  }

  /**
   * LREM: removes elements equal to {@code element}, at most {@code limit} of them (0 = all),
   * scanning from the tail when {@code fromTail}; returns how many it removed. One pass that
   * compacts the survivors towards the end the scan started from.
   */
  public int removeEqual(byte[] element, long limit, boolean fromTail) {
    int removed = 0;
    if (!fromTail) {
      int write = 0;
      for (int read = 0; read < size; read++) {
        byte[] e = ring[at(read)];
        if ((limit == 0 || removed < limit) && Arrays.equals(e, element)) {
          removed++;
        } else {
          ring[at(write++)] = e;
        }
      }
      for (int i = write; i < size; i++) {
        ring[at(i)] = null;
      }
    } else {
      int write = size - 1;
      for (int read = size - 1; read >= 0; read--) {
        byte[] e = ring[at(read)];
        if ((limit == 0 || removed < limit) && Arrays.equals(e, element)) {
          removed++;
        } else {
          ring[at(write--)] = e;
        }
      }
      for (int i = 0; i <= write; i++) {
        ring[at(i)] = null;
      }
      head = at(removed);
    }
    size -= removed;
    if (size == 0) {
      head = 0;
    }
    shrinkIfSparse();
    return removed;
  }

  /** The index of the first element equal to {@code element} from the head, or -1. */
  public int indexOf(byte[] element) {
    for (int i = 0; i < size; i++) {
      if (Arrays.equals(ring[at(i)], element)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String typeName() {
    return "list";
  }

  @Override
  public String encoding() {
    return "quicklist";
  }

  @Override
  public ListValue deepCopy() {
    ListValue copy = new ListValue();
    copy.ensure(size);
    for (int i = 0; i < size; i++) {
      copy.ring[i] = ring[at(i)];
    }
    copy.size = size;
    return copy;
  }

  @Override
  public long estimateBytes() {
    // The value object (header, the ring reference, head and size), the ring, and the elements.
    long bytes = HeapLayout.align(HeapLayout.OBJECT_HEADER_BYTES + HeapLayout.REFERENCE_BYTES + 8)
        + (ring.length == 0 ? 0 : HeapLayout.array(HeapLayout.REFERENCE_BYTES, ring.length));
    for (int i = 0; i < size; i++) {
      bytes += CollectionValue.arrayBytes(ring[at(i)].length);
    }
    return bytes;
  }

  /**
   * Each element is digested with its position as its name: a list's digest depends on the order
   * of its elements (two lists with the same elements in another order differ), never on the ring.
   */
  @Override
  public void digestElements(ElementSink sink) {
    for (int i = 0; i < size; i++) {
      sink.element(Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII), ring[at(i)]);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("list[");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(Arrays.toString(ring[at(i)]));
    }
    return sb.append(']').toString();
  }
}
