package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** StreamValue against a TreeMap of live entries, its node layout, and its codec and copy. */
class StreamValueTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<StreamId> ids(StreamValue s, StreamId from, StreamId to, boolean reverse) {
    List<StreamId> out = new ArrayList<>();
    s.range(from, to, reverse, (ms, seq, fv) -> out.add(new StreamId(ms, seq)));
    return out;
  }

  @Test
  void randomAppendsDeletesAndTrimsMatchAModel() {
    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      StreamValue s = new StreamValue();
      TreeMap<StreamId, String> model = new TreeMap<>();
      long nodeEntries = 1 + random.nextInt(12);
      long ms = 0;
      for (int op = 0; op < 2000; op++) {
        int kind = random.nextInt(10);
        if (kind < 6) {
          ms += random.nextInt(3);
          StreamId id = s.lastId().ms() == ms ? new StreamId(ms, s.lastId().seq() + 1) : new StreamId(ms, 0);
          String v = Integer.toString(op);
          s.append(id, new byte[][] {b("f"), b(v)}, 4096, nodeEntries);
          model.put(id, v);
        } else if (kind < 8 && !model.isEmpty()) {
          List<StreamId> keys = new ArrayList<>(model.keySet());
          StreamId victim = keys.get(random.nextInt(keys.size()));
          assertThat(s.delete(victim)).isTrue();
          assertThat(s.delete(victim)).isFalse();
          model.remove(victim);
        } else if (kind == 8) {
          long maxLen = random.nextInt(50);
          long removed = s.trim(maxLen, null, false, 0);
          long expected = Math.max(0, model.size() - maxLen);
          assertThat(removed).isEqualTo(expected);
          while (model.size() > maxLen) {
            model.pollFirstEntry();
          }
        } else {
          StreamId minId = new StreamId(Math.max(0, ms - random.nextInt(20)), 0);
          long removed = s.trim(0, minId, false, 0);
          int before = model.size();
          model.headMap(minId, false).clear();
          assertThat(removed).isEqualTo(before - model.size());
        }
        assertThat(s.length()).isEqualTo(model.size());
      }
      assertThat(ids(s, StreamId.MIN, StreamId.MAX, false)).containsExactlyElementsOf(model.keySet());
      assertThat(ids(s, StreamId.MIN, StreamId.MAX, true)).containsExactlyElementsOf(model.descendingKeySet());
      if (!model.isEmpty()) {
        assertThat(s.firstId()).isEqualTo(model.firstKey());
        assertThat(s.lastValidId()).isEqualTo(model.lastKey());
        StreamId mid = new ArrayList<>(model.keySet()).get(model.size() / 2);
        assertThat(ids(s, mid, StreamId.MAX, false)).containsExactlyElementsOf(model.tailMap(mid, true).keySet());
        assertThat(ids(s, StreamId.MIN, mid, true)).containsExactlyElementsOf(model.headMap(mid, true).descendingKeySet());
        for (Map.Entry<StreamId, String> e : model.entrySet()) {
          assertThat(new String(s.get(e.getKey())[1], StandardCharsets.UTF_8)).isEqualTo(e.getValue());
        }
      }
      StreamValue back = (StreamValue) ValueCodec.decode(encode(s), 0, encode(s).length);
      assertThat(back).isNotNull();
      assertThat(back.nodeCount()).isEqualTo(s.nodeCount());
      assertThat(ids(back, StreamId.MIN, StreamId.MAX, false)).containsExactlyElementsOf(model.keySet());
    }
  }

  @Test
  void nodesAreCutAsRedisCutsItsListpacks() {
    StreamValue s = new StreamValue();
    for (int j = 0; j < 1000; j++) {
      s.append(new StreamId(1, j), new byte[][] {b("xitem"), b(Integer.toString(j))}, 4096, 100);
      s.trim(555, null, true, 10_000);
    }
    assertThat(s.length()).isEqualTo(600); // stream.tcl: "XADD with MAXLEN option and the '~' argument"
    assertThat(s.nodeCount()).isEqualTo(6);
    // The byte limit: big values fill a node long before 100 entries.
    StreamValue big = new StreamValue();
    for (int j = 0; j < 10; j++) {
      big.append(new StreamId(1, j), new byte[][] {b("f"), new byte[1500]}, 4096, 100);
    }
    assertThat(big.nodeCount()).isEqualTo(5);
  }

  @Test
  void groupsSurviveCodecAndCopiesAreIndependent() {
    StreamValue s = new StreamValue();
    for (int j = 1; j <= 3; j++) {
      s.append(new StreamId(j, 0), new byte[][] {b("f"), b("v" + j)}, 4096, 100);
    }
    s.delete(new StreamId(2, 0));
    StreamValue.Group g = s.createGroup(b("g"), StreamId.MIN, 0);
    StreamValue.Consumer alice = g.touchConsumer(b("alice"), 1000);
    g.deliver(new StreamId(1, 0), alice, 1000);
    g.deliver(new StreamId(3, 0), alice, 1001);
    s.groupRead(g, new StreamId(3, 0));
    byte[] body = encode(s);
    StreamValue back = (StreamValue) ValueCodec.decode(body, 0, body.length);
    assertThat(digest(back)).isEqualTo(digest(s));
    assertThat(back.group(b("g")).consumer(b("alice")).pel().keySet())
        .containsExactly(new StreamId(1, 0), new StreamId(3, 0));
    assertThat(back.maxDeletedId()).isEqualTo(new StreamId(2, 0));
    StreamValue copy = s.deepCopy();
    copy.group(b("g")).ack(new StreamId(1, 0));
    assertThat(g.pel()).hasSize(2);
    assertThat(copy.group(b("g")).pel()).hasSize(1);
    assertThat(digest(copy)).isNotEqualTo(digest(s));
    // An empty stream (only a group) is a value; truncated bodies are rejected.
    StreamValue empty = new StreamValue();
    empty.createGroup(b("g"), StreamId.MIN, -1);
    byte[] emptyBody = encode(empty);
    assertThat(ValueCodec.decode(emptyBody, 0, emptyBody.length)).isInstanceOf(StreamValue.class);
    for (int cut = 1; cut < body.length; cut++) {
      assertThat(ValueCodec.decode(body, 0, cut)).as("cut at %d", cut).isNull();
    }
  }

  private static byte[] encode(Object value) {
    ValueCodec.Out out = new ValueCodec.Out();
    ValueCodec.encode(value, out);
    return out.toArray(0);
  }

  private static String digest(StreamValue s) {
    Keyspace ks = new Keyspace();
    ks.db(0).put(b("k"), s, KeyTable.NO_EXPIRY);
    return ks.digest(0);
  }
}
