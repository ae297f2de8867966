package io.kaiware.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaiware.raft.LogEntryCodec.CorruptEntryException;
import io.kaiware.raft.LogEntryCodec.Entry;
import io.kaiware.raft.LogEntryCodec.Request;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogEntryCodecTest {

  private static byte[][] cmd(String... a) {
    return TestGroup.cmd(a);
  }

  @Test
  void roundTripsABatch() throws Exception {
    byte[] big = new byte[300];
    new Random(1).nextBytes(big);
    List<Request> reqs = List.of(
        Request.of(0, 2, cmd("SET", "k", "v")),
        new Request(15, 3, List.of(cmd("MULTI"), new byte[][] {"SET".getBytes(), "bin".getBytes(), big}, cmd("EXEC"))),
        Request.of(200, 2, new byte[][] {new byte[0]}));
    byte[] bytes = LogEntryCodec.encode(1_700_000_000_123L, reqs);
    Entry e = LogEntryCodec.decode(ByteBuffer.wrap(bytes));
    assertThat(e.stampMs()).isEqualTo(1_700_000_000_123L);
    assertThat(e.requests()).hasSize(3);
    assertThat(e.requests().get(1).db()).isEqualTo(15);
    assertThat(e.requests().get(1).protocol()).isEqualTo(3);
    assertThat(e.requests().get(1).commands()).hasSize(3);
    assertThat(e.requests().get(1).commands().get(1)[2]).isEqualTo(big);
    assertThat(e.requests().get(2).db()).isEqualTo(200);
    assertThat(e.requests().get(2).commands().get(0)[0]).isEmpty();
    assertThat(bytes[0]).isEqualTo(LogEntryCodec.VERSION_1);
  }

  @Test
  void keepsTheRerunFlagBesideTheProtocol() throws Exception {
    List<Request> reqs = List.of(
        Request.rerunOf(3, 3, cmd("BLPOP", "q", "0")),
        Request.of(3, 3, cmd("BLPOP", "q", "0")),
        Request.rerunOf(0, 2, cmd("XREAD", "BLOCK", "0", "STREAMS", "s", "$")));
    Entry e = LogEntryCodec.decode(ByteBuffer.wrap(LogEntryCodec.encode(9, reqs)));
    assertThat(e.requests()).extracting(Request::rerun).containsExactly(true, false, true);
    assertThat(e.requests()).extracting(Request::protocol).containsExactly(3, 3, 2);
    assertThat(e.requests().get(0).commands().get(0)[0]).isEqualTo("BLPOP".getBytes());
  }

  @Test
  void keepsTheOverMaxmemoryFlagBesideTheProtocolAndTheRerunFlag() throws Exception {
    List<Request> reqs = List.of(
        Request.of(1, 3, cmd("EVAL", "return 1", "0")).overMaxmemory(),
        Request.rerunOf(0, 2, cmd("BLPOP", "q", "0")),
        Request.of(0, 2, cmd("EVAL", "return 1", "0")));
    Entry e = LogEntryCodec.decode(ByteBuffer.wrap(LogEntryCodec.encode(9, reqs)));
    assertThat(e.requests()).extracting(Request::scriptsOverMaxmemory).containsExactly(true, false, false);
    assertThat(e.requests()).extracting(Request::rerun).containsExactly(false, true, false);
    assertThat(e.requests()).extracting(Request::protocol).containsExactly(3, 2, 2);
  }

  @Test
  void encodesATickInThirteenBytesPlusCount() throws Exception {
    byte[] bytes = LogEntryCodec.encode(42, List.of());
    assertThat(bytes).hasSize(LogEntryCodec.FIXED_OVERHEAD + 1);
    assertThat(LogEntryCodec.decode(ByteBuffer.wrap(bytes)).requests()).isEmpty();
  }

  @Test
  void rejectsEveryCorruption() {
    byte[] good = LogEntryCodec.encode(7, List.of(Request.of(0, 2, cmd("SET", "key", "value"))));
    // Every single-bit flip is caught by the checksum (or the structure checks).
    for (int i = 0; i < good.length * 8; i++) {
      byte[] bad = good.clone();
      bad[i / 8] ^= (byte) (1 << (i % 8));
      assertThatThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bad))).isInstanceOf(CorruptEntryException.class);
    }
    // Every truncation too.
    for (int len = 0; len < good.length; len++) {
      ByteBuffer b = ByteBuffer.wrap(good, 0, len);
      assertThatThrownBy(() -> LogEntryCodec.decode(b)).isInstanceOf(CorruptEntryException.class);
    }
  }

  @Test
  void rejectsAnUnknownVersionEvenWithAValidChecksum() {
    byte[] bytes = LogEntryCodec.encode(7, List.of());
    bytes[0] = 9;
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    assertThatThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bytes)))
        .isInstanceOf(CorruptEntryException.class).hasMessageContaining("version 9");
  }

  @Test
  void roundTripsReplies() throws Exception {
    List<byte[]> replies = List.of("+OK\r\n".getBytes(StandardCharsets.US_ASCII), new byte[0], new byte[1000]);
    List<byte[]> back = LogEntryCodec.decodeReplies(ByteBuffer.wrap(LogEntryCodec.encodeReplies(replies)));
    assertThat(back).hasSize(3);
    assertThat(back.get(0)).isEqualTo(replies.get(0));
    assertThat(back.get(2)).hasSize(1000);
  }

  @Test
  void varintsCoverTheIntRange() throws Exception {
    for (int v : new int[] {0, 1, 127, 128, 16383, 16384, Integer.MAX_VALUE}) {
      ByteBuffer b = ByteBuffer.allocate(5);
      LogEntryCodec.putVarint(b, v);
      assertThat(b.position()).isEqualTo(LogEntryCodec.varintSize(v));
      b.flip();
      assertThat(LogEntryCodec.getVarint(b)).isEqualTo(v);
    }
  }
}
