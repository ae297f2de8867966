package io.kaiware.engine;

/**
 * A value that is not a plain string ({@code byte[]}): a hash, a set, a sorted set, a list, a
 * ranking or a sliding-window counter. The generic key commands (TYPE, OBJECT ENCODING, COPY, MEMORY USAGE,
 * DEBUG DIGEST, DUMP) treat every such value through this interface, so a new type is one class.
 *
 * <p>Values are mutated in place by their commands; whoever mutates one must report it with
 * {@link KeyTable#touch} so that WATCH sees the change.
 */
public interface CollectionValue {

  /**
   * Receives the elements of a value for DEBUG DIGEST, one (name, content) pair at a time; the
   * content is {@code null} for an element that is a name only (a set member).
   */
  @FunctionalInterface
  interface ElementSink {
    void element(byte[] name, byte[] content);
  }

  /** The name TYPE and SCAN TYPE use: "hash", "set", "zset", ... */
  String typeName();

  /** The name OBJECT ENCODING reports. */
  String encoding();

  /** An independent copy (COPY): later writes to either value do not show in the other. */
  CollectionValue deepCopy();

  /** Estimated heap bytes held by the value (MEMORY USAGE). */
  long estimateBytes();

  /**
   * Passes every logical element to {@code sink}, in any order: the digest XORs the elements, so
   * it depends only on the content, never on the layout or insertion order. A type whose order is
   * part of its content (a list) names each element by its position.
   */
  void digestElements(ElementSink sink);

  /**
   * As {@link #digestElements(ElementSink)}, for a digest taken at command time {@code nowMs}:
   * values with parts that age out (rankings' buckets, window counters' sub-buckets) leave out
   * what is logically gone at that time, so two engines that differ only in what they have
   * reclaimed agree.
   */
  default void digestElements(ElementSink sink, long nowMs) {
    digestElements(sink);
  }

  /** The heap bytes of a {@code byte[]} of {@code length} bytes (16 B header, 8 B alignment). */
  static long arrayBytes(int length) {
    return (16L + length + 7) & ~7L;
  }
}
