package io.kaiware.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaiware.engine.KeyTable;
import io.kaiware.engine.Keyspace;
import io.kaiware.engine.ListValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

  /** The snapshot file's bytes for {@code keyspace}: a cut written at once. */
  private static byte[] snapshot(Keyspace keyspace, long term, long index, long logTimeMs) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    SnapshotCodec.write(SnapshotCodec.cut(keyspace, term, index, logTimeMs), bytes);
    return bytes.toByteArray();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void roundTripsLiveKeysWithTheirExpiry() throws IOException {
    Keyspace ks = new Keyspace();
    for (int i = 0; i < 1000; i++) {
      ks.db(i % 3).put(b("k" + i), b("v" + i), i % 2 == 0 ? KeyTable.NO_EXPIRY : 10_000 + i);
    }
    ks.db(15).put(b("expired"), b("x"), 4_999);
    byte[] data = snapshot(ks, 3, 77, 5_000);
    Keyspace back = new Keyspace();
    back.db(4).put(b("stale"), b("replaced"), KeyTable.NO_EXPIRY);
    SnapshotCodec.Header h = SnapshotCodec.read(data, back);
    assertThat(h).isEqualTo(new SnapshotCodec.Header(3, 77, 5_000, 16));
    assertThat(back.digest(5_000)).isEqualTo(ks.digest(5_000));
    assertThat(back.keyCount()).isEqualTo(1000); // the expired key and the old content are gone
    assertThat(back.db(1).table().expireAtMs(back.db(1).table().find(b("k1")))).isEqualTo(10_001);
  }

  @Test
  void roundTripsEveryValueTypeThroughTheDumpEncoding() throws IOException {
    Keyspace ks = new Keyspace();
    io.kaiware.engine.HashValue hash = new io.kaiware.engine.HashValue();
    hash.put(b("field"), b("value"));
    hash.put(b("other"), b("2"));
    ks.db(0).put(b("h"), hash, KeyTable.NO_EXPIRY);
    ks.db(0).put(b("s"), b("plain"), 9_000);
    byte[] data = snapshot(ks, 2, 10, 1_000);
    assertThat(data[4]).as("version").isEqualTo(SnapshotCodec.VERSION_3);
    Keyspace back = new Keyspace();
    SnapshotCodec.read(data, back);
    assertThat(back.digest(1_000)).isEqualTo(ks.digest(1_000));
    assertThat(back.db(0).table().valueAt(back.db(0).table().find(b("h")))).isInstanceOf(io.kaiware.engine.HashValue.class);
  }

  @Test
  void roundTripsStreamsWithTheirNodesAndGroups() throws IOException {
    Keyspace ks = new Keyspace();
    io.kaiware.engine.StreamValue stream = new io.kaiware.engine.StreamValue();
    for (int i = 1; i <= 250; i++) {
      stream.append(new io.kaiware.engine.StreamId(i, 0), new byte[][] {b("f"), b("v" + i)}, 4096, 100);
    }
    stream.delete(new io.kaiware.engine.StreamId(7, 0));
    io.kaiware.engine.StreamValue.Group group = stream.createGroup(b("g"), io.kaiware.engine.StreamId.MIN, 0);
    group.deliver(new io.kaiware.engine.StreamId(1, 0), group.touchConsumer(b("c"), 500), 500);
    ks.db(0).put(b("s"), stream, KeyTable.NO_EXPIRY);
    String digestAtCut = ks.digest(1_000);
    SnapshotCodec.Cut cut = SnapshotCodec.cut(ks, 4, 20, 1_000);
    group.ack(new io.kaiware.engine.StreamId(1, 0)); // changed in place after the cut
    assertThat(ks.digest(1_000)).isNotEqualTo(digestAtCut);

    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    SnapshotCodec.write(cut, out);
    Keyspace back = new Keyspace();
    SnapshotCodec.read(out.toByteArray(), back);
    assertThat(back.digest(1_000)).isEqualTo(digestAtCut);
    io.kaiware.engine.StreamValue restored =
        (io.kaiware.engine.StreamValue) back.db(0).table().valueAt(back.db(0).table().find(b("s")));
    assertThat(restored.nodeCount()).isEqualTo(3); // trimming with ~ depends on the nodes: kept as they were
    assertThat(restored.length()).isEqualTo(249);
  }

  @Test
  void roundTripsListsInOrderAndCutsThemAtTheirIndex() throws IOException {
    Keyspace ks = new Keyspace();
    ListValue list = new ListValue();
    java.util.List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      if (i % 3 == 0) {
        list.pushHead(b("h" + i));
        expected.add(0, "h" + i);
      } else {
        list.pushTail(b("t" + i));
        expected.add("t" + i);
      }
    }
    list.pushTail(new byte[0]);
    ks.db(0).put(b("l"), list, KeyTable.NO_EXPIRY);
    ListValue small = new ListValue();
    small.pushTail(b("x"));
    ks.db(3).put(b("volatile"), small, 2_000);
    String digestAtCut = ks.digest(1_000);
    SnapshotCodec.Cut cut = SnapshotCodec.cut(ks, 4, 20, 1_000);
    // The list changes in place after the cut: the snapshot still holds the list of its index.
    list.popHead();
    list.set(0, b("changed"));
    small.pushHead(b("y"));
    assertThat(ks.digest(1_000)).isNotEqualTo(digestAtCut);

    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    assertThat(SnapshotCodec.write(cut, out)).isEqualTo(2);
    Keyspace back = new Keyspace();
    SnapshotCodec.read(out.toByteArray(), back);
    assertThat(back.digest(1_000)).isEqualTo(digestAtCut);
    ListValue restored = (ListValue) back.db(0).table().valueAt(back.db(0).table().find(b("l")));
    assertThat(restored.size()).isEqualTo(301);
    assertThat(new String(restored.get(0), StandardCharsets.UTF_8)).isEqualTo("h297");
    assertThat(new String(restored.get(100), StandardCharsets.UTF_8)).isEqualTo("t1");
    assertThat(restored.get(300)).isEmpty();
    assertThat(back.db(3).table().expireAtMs(back.db(3).table().find(b("volatile")))).isEqualTo(2_000);
    for (int i = 0; i < 300; i++) {
      assertThat(new String(restored.get(i), StandardCharsets.UTF_8)).as("element %d", i).isEqualTo(expected.get(i));
    }
  }

  @Test
  void roundTripsSetsAndTheWriteDrawCounters() throws IOException {
    Keyspace ks = new Keyspace();
    io.kaiware.engine.SetValue ints = new io.kaiware.engine.SetValue();
    io.kaiware.engine.SetValue strings = new io.kaiware.engine.SetValue();
    for (int i = 0; i < 100; i++) {
      ints.add(b(Integer.toString(i * 7)));
      strings.add(b("m" + i));
    }
    ks.db(0).put(b("ints"), ints, KeyTable.NO_EXPIRY);
    ks.db(0).put(b("strings"), strings, 9_000);
    ks.db(3).put(b("gone"), strings.deepCopy(), 999);
    ks.db(0).writeRandomSeed(1);
    ks.db(7).writeRandomSeed(1);
    ks.db(7).writeRandomSeed(2);
    SnapshotCodec.Cut cut = SnapshotCodec.cut(ks, 2, 10, 1_000);
    ints.add(b("after-the-cut")); // mutated in place after the cut: not in the snapshot
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    SnapshotCodec.write(cut, out);
    byte[] data = out.toByteArray();
    assertThat(data[4]).as("version").isEqualTo(SnapshotCodec.VERSION_3);
    ints.remove(b("after-the-cut"));

    Keyspace back = new Keyspace();
    back.db(7).writeRandomSeed(5); // replaced by the snapshot's counters
    back.db(9).writeRandomSeed(5);
    SnapshotCodec.read(data, back);
    assertThat(back.digest(1_000)).isEqualTo(ks.digest(1_000));
    assertThat(back.keyCount()).isEqualTo(2);
    Object restored = back.db(0).table().valueAt(back.db(0).table().find(b("ints")));
    assertThat(restored).isInstanceOf(io.kaiware.engine.SetValue.class);
    assertThat(((io.kaiware.engine.SetValue) restored).encoding()).isEqualTo("intset");
    assertThat(((io.kaiware.engine.SetValue) back.db(0).table().valueAt(back.db(0).table().find(b("strings")))).encoding())
        .isEqualTo("hashtable");
    assertThat(back.db(0).table().expireAtMs(back.db(0).table().find(b("strings")))).isEqualTo(9_000);
    assertThat(back.db(0).writeDraws()).isEqualTo(1);
    assertThat(back.db(7).writeDraws()).isEqualTo(2);
    assertThat(back.db(9).writeDraws()).isZero();
    // The next SPOP seed is the same on the restored replica as on the original.
    assertThat(back.db(7).writeRandomSeed(3_000)).isEqualTo(ks.db(7).writeRandomSeed(3_000));
  }

  @Test
  void readsVersion2SnapshotsWithZeroWriteDrawCounters() throws IOException {
    Keyspace ks = new Keyspace();
    io.kaiware.engine.HashValue hash = new io.kaiware.engine.HashValue();
    hash.put(b("f"), b("v"));
    ks.db(1).put(b("h"), hash, KeyTable.NO_EXPIRY);
    ks.db(1).put(b("s"), b("x"), KeyTable.NO_EXPIRY);
    ks.db(2).writeRandomSeed(1);
    byte[] v3 = snapshot(ks, 1, 5, 100);
    // Version 2 is version 3 without the counters after the header.
    int header = 4 + 1 + 8 * 3 + 4;
    int counters = 8 * 16;
    byte[] v2 = new byte[v3.length - counters];
    System.arraycopy(v3, 0, v2, 0, header);
    System.arraycopy(v3, header + counters, v2, header, v3.length - header - counters - 4);
    v2[4] = SnapshotCodec.VERSION_2;
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(v2, 0, v2.length - 4);
    java.nio.ByteBuffer.wrap(v2).putInt(v2.length - 4, (int) crc.getValue());

    Keyspace back = new Keyspace();
    back.db(2).writeRandomSeed(1);
    back.db(2).writeRandomSeed(1);
    SnapshotCodec.Header h = SnapshotCodec.read(v2, back);
    assertThat(h).isEqualTo(new SnapshotCodec.Header(1, 5, 100, 16));
    assertThat(back.digest(100)).isEqualTo(ks.digest(100));
    assertThat(back.db(2).writeDraws()).isZero();
  }

  @Test
  void aCutKeepsTheContentOfItsIndexWhileTheKeyspaceChanges() throws IOException {
    Keyspace ks = new Keyspace();
    io.kaiware.engine.HashValue hash = new io.kaiware.engine.HashValue();
    hash.put(b("field"), b("before"));
    ks.db(0).put(b("h"), hash, KeyTable.NO_EXPIRY);
    for (int i = 0; i < 100; i++) {
      ks.db(1).put(b("k" + i), b("v" + i), KeyTable.NO_EXPIRY);
    }
    String digestAtCut = ks.digest(1_000);
    SnapshotCodec.Cut cut = SnapshotCodec.cut(ks, 1, 50, 1_000);
    // The engine goes on while the cut is written: overwrite, delete, add, change the hash in place.
    ks.db(1).put(b("k0"), b("changed"), KeyTable.NO_EXPIRY);
    ks.db(1).delete(b("k1"), 1_000);
    ks.db(2).put(b("new"), b("x"), KeyTable.NO_EXPIRY);
    hash.put(b("field"), b("after"));
    assertThat(ks.digest(1_000)).isNotEqualTo(digestAtCut);

    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    assertThat(SnapshotCodec.write(cut, out)).isEqualTo(101);
    Keyspace back = new Keyspace();
    SnapshotCodec.Header h = SnapshotCodec.read(out.toByteArray(), back);
    assertThat(h.index()).isEqualTo(50);
    assertThat(back.digest(1_000)).isEqualTo(digestAtCut);
  }

  @Test
  void aTableThatOnlyEverHeldStringsIsCutByCopyingItsSlotsAndOneThatHeldAHashIsVisited() throws IOException {
    Keyspace ks = new Keyspace();
    ks.db(0).put(b("s"), b("1"), KeyTable.NO_EXPIRY);
    assertThat(ks.db(0).table().mayHoldNonStrings()).isFalse();
    ks.db(0).put(b("h"), new io.kaiware.engine.HashValue(), KeyTable.NO_EXPIRY);
    assertThat(ks.db(0).table().mayHoldNonStrings()).isTrue();
    ks.db(0).delete(b("h"), 0);
    assertThat(ks.db(0).table().mayHoldNonStrings()).as("stale until a cut looks").isTrue();
    SnapshotCodec.cut(ks, 1, 1, 0);
    assertThat(ks.db(0).table().mayHoldNonStrings()).as("the cut found only strings").isFalse();
    ks.db(0).table().setValueAt(ks.db(0).table().find(b("s")), new io.kaiware.engine.HashValue());
    assertThat(ks.db(0).table().mayHoldNonStrings()).isTrue();
  }

  @Test
  void detectsCorruptionBeforeTouchingTheKeyspace() throws IOException {
    Keyspace ks = new Keyspace();
    ks.db(0).put(b("a"), b("1"), KeyTable.NO_EXPIRY);
    byte[] data = snapshot(ks, 1, 1, 0);
    data[data.length / 2] ^= 1;
    Keyspace target = new Keyspace();
    target.db(0).put(b("keep"), b("me"), KeyTable.NO_EXPIRY);
    assertThatThrownBy(() -> SnapshotCodec.read(data, target)).hasMessageContaining("checksum");
    assertThat(target.keyCount()).isEqualTo(1);
  }
}
