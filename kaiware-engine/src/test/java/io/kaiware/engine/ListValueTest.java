package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ring buffer against an ArrayList under random pushes, pops, inserts, range and value
 * removals at both ends, with the ring wrapping around, growing and shrinking.
 */
class ListValueTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static List<String> contents(ListValue list) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(new String(list.get(i), StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  @Test
  void agreesWithAnArrayListUnderRandomOperations() {
    Random random = new Random(7);
    for (int round = 0; round < 30; round++) {
      ListValue list = new ListValue();
      List<String> model = new ArrayList<>();
      // Rounds alternate between growing and shrinking phases so the ring both grows and halves.
      for (int op = 0; op < 3000; op++) {
        boolean grow = (op / 500) % 2 == 0;
        int kind = random.nextInt(grow ? 12 : 16);
        String e = "e" + random.nextInt(8);
        switch (kind) {
          case 0, 1, 2 -> {
            list.pushHead(b(e));
            model.add(0, e);
          }
          case 3, 4, 5 -> {
            list.pushTail(b(e));
            model.add(e);
          }
          case 6, 7 -> {
            int at = random.nextInt(model.size() + 1);
            list.insert(at, b(e));
            model.add(at, e);
          }
          case 8 -> {
            if (random.nextInt(10) == 0) {
              // A push of many, as LPUSH/RPUSH do it: one reservation, then the pushes.
              int n = 1 + random.nextInt(40);
              list.reserve(n);
              for (int i = 0; i < n; i++) {
                list.pushTail(b(e));
                model.add(e);
              }
            }
            if (!model.isEmpty()) {
              int at = random.nextInt(model.size());
              list.set(at, b(e));
              model.set(at, e);
            }
          }
          case 9 -> assertThat(list.indexOf(b(e))).isEqualTo(model.indexOf(e));
          case 10, 12 -> {
            if (!model.isEmpty()) {
              assertThat(new String(list.popHead(), StandardCharsets.ISO_8859_1)).isEqualTo(model.remove(0));
            }
          }
          case 11, 13 -> {
            if (!model.isEmpty()) {
              assertThat(new String(list.popTail(), StandardCharsets.ISO_8859_1)).isEqualTo(model.remove(model.size() - 1));
            }
          }
          case 14 -> {
            int n = random.nextInt(model.size() + 1);
            if (random.nextBoolean()) {
              list.removeHead(n);
              model.subList(0, n).clear();
            } else {
              list.removeTail(n);
              model.subList(model.size() - n, model.size()).clear();
            }
          }
          default -> {
            int limit = random.nextInt(4);
            boolean fromTail = random.nextBoolean();
            int expected = 0;
            if (!fromTail) {
              for (int i = 0; i < model.size() && (limit == 0 || expected < limit); ) {
                if (model.get(i).equals(e)) {
                  model.remove(i);
                  expected++;
                } else {
                  i++;
                }
              }
            } else {
              for (int i = model.size() - 1; i >= 0 && (limit == 0 || expected < limit); i--) {
                if (model.get(i).equals(e)) {
                  model.remove(i);
                  expected++;
                }
              }
            }
            assertThat(list.removeEqual(b(e), limit, fromTail)).isEqualTo(expected);
          }
        }
        assertThat(list.size()).isEqualTo(model.size());
        int capacity = list.capacity();
        assertThat(capacity == 0).as("no ring for an empty list").isEqualTo(model.isEmpty());
        assertThat(Integer.bitCount(capacity) <= 1 && capacity >= model.size()).as("capacity %d for %d", capacity, model.size()).isTrue();
        assertThat(capacity <= 4 || model.size() >= capacity / 4).as("capacity %d for %d: shrunk", capacity, model.size()).isTrue();
        if (op % 97 == 0) {
          assertThat(contents(list)).isEqualTo(model);
        }
      }
      assertThat(contents(list)).isEqualTo(model);
      ListValue copy = list.deepCopy();
      assertThat(contents(copy)).isEqualTo(model);
      copy.pushHead(b("only in the copy"));
      assertThat(contents(list)).isEqualTo(model);
    }
  }

  @Test
  void indexesAreChecked() {
    ListValue list = new ListValue();
    assertThatThrownBy(list::popHead).isInstanceOf(IndexOutOfBoundsException.class);
    list.pushTail(b("a"));
    assertThatThrownBy(() -> list.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.insert(2, b("x"))).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.removeTail(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void encodesAndDecodesHeadToTail() {
    ListValue list = new ListValue();
    for (int i = 0; i < 50; i++) {
      list.pushHead(b("h" + i));
      list.pushTail(b("t" + i));
    }
    list.pushTail(new byte[0]);
    ValueCodec.Out out = new ValueCodec.Out();
    ValueCodec.encode(list, out);
    byte[] body = out.toArray(0);
    assertThat(body[0]).isEqualTo((byte) ValueCodec.TYPE_LIST);
    assertThat(body[1]).as("count 101 as a varint").isEqualTo((byte) 101);
    ListValue back = (ListValue) ValueCodec.decode(body, 0, body.length);
    assertThat(contents(back)).isEqualTo(contents(list));
    assertThat(ValueCodec.decode(new byte[] {ValueCodec.TYPE_LIST, 0}, 0, 2)).as("an empty list").isNull();
    assertThat(ValueCodec.decode(body, 0, body.length - 1)).as("truncated").isNull();
    byte[] longer = Arrays.copyOf(body, body.length + 1);
    assertThat(ValueCodec.decode(longer, 0, longer.length)).as("trailing bytes").isNull();
  }

  @Test
  void estimateGrowsWithTheElements() {
    ListValue list = new ListValue();
    long empty = list.estimateBytes();
    for (int i = 0; i < 1000; i++) {
      list.pushTail(new byte[10]);
    }
    // 1000 arrays of 10 bytes (32 B each with header and padding) and a ring of 1024 references.
    assertThat(list.estimateBytes() - empty).isEqualTo(1000L * 32 + HeapLayout.array(HeapLayout.REFERENCE_BYTES, 1024));
  }
}
