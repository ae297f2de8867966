package io.kaiware.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RespRequestDecoderTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Decodes everything in {@code input}, delivered in the given chunk sizes. */
  private static List<List<String>> decodeInChunks(RespRequestDecoder decoder, byte[] input, int[] chunkSizes) {
    List<List<String>> out = new ArrayList<>();
    ByteBuf cumulation = Unpooled.buffer();
    int offset = 0;
    int chunk = 0;
    while (offset < input.length) {
      int size = Math.min(chunkSizes[chunk++ % chunkSizes.length], input.length - offset);
      cumulation.writeBytes(input, offset, size);
      offset += size;
      byte[][] request;
      while ((request = decoder.decode(cumulation)) != null) {
        List<String> args = new ArrayList<>();
        for (byte[] a : request) {
          args.add(new String(a, StandardCharsets.ISO_8859_1));
        }
        out.add(args);
      }
      cumulation.discardReadBytes();
    }
    assertThat(cumulation.readableBytes()).as("bytes left over").isZero();
    cumulation.release();
    return out;
  }

  private static List<List<String>> decode(String input) {
    return decodeInChunks(new RespRequestDecoder(RespLimits.DEFAULTS), bytes(input), new int[] {input.length()});
  }

  private static final String PIPELINE =
      "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\nPING\r\n*1\r\n$4\r\nPING\r\n"
          + "set \"a b\" 'c\\'d' \"\\x41\\n\"\r\n*0\r\n*-1\r\n\r\n*1\r\n$0\r\n\r\n";

  private static final List<List<String>> PIPELINE_REQUESTS = List.of(
      List.of("SET", "key", "va\r\nl"),
      List.of("GET", "key"),
      List.of("PING"),
      List.of("PING"),
      List.of("set", "a b", "c'd", "A\n"),
      List.of(""));

  @Test
  void decodesAPipelineOfMultibulkAndInlineRequests() {
    assertThat(decode(PIPELINE)).isEqualTo(PIPELINE_REQUESTS);
  }

  @Test
  void aRepeatedCommandNameIsHandedOutAsTheSameArray() {
    RespRequestDecoder decoder = new RespRequestDecoder(RespLimits.DEFAULTS);
    ByteBuf in = Unpooled.wrappedBuffer(bytes("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n"
        + "*2\r\n$3\r\nget\r\n$1\r\nc\r\n*3\r\n$3\r\nSET\r\n$3\r\nGET\r\n$3\r\nGET\r\n"));
    byte[][] first = decoder.decode(in);
    byte[][] second = decoder.decode(in);
    byte[][] lower = decoder.decode(in);
    byte[][] set = decoder.decode(in);
    assertThat(second[0]).isSameAs(first[0]).isEqualTo(bytes("GET"));
    assertThat(second[1]).isEqualTo(bytes("b"));
    assertThat(lower[0]).isNotSameAs(first[0]).isEqualTo(bytes("get")); // other bytes, another array
    assertThat(set[0]).isEqualTo(bytes("SET"));
    assertThat(set[1]).isNotSameAs(first[0]).isEqualTo(bytes("GET")); // only the name is reused
    assertThat(set[2]).isNotSameAs(set[1]);
  }

  @Test
  void decodesOneByteAtATime() {
    RespRequestDecoder decoder = new RespRequestDecoder(RespLimits.DEFAULTS);
    assertThat(decodeInChunks(decoder, bytes(PIPELINE), new int[] {1})).isEqualTo(PIPELINE_REQUESTS);
  }

  @Test
  void decodesRandomSplits() {
    Random random = new Random(42);
    for (int round = 0; round < 500; round++) {
      int[] chunks = new int[16];
      for (int i = 0; i < chunks.length; i++) {
        chunks[i] = 1 + random.nextInt(12);
      }
      RespRequestDecoder decoder = new RespRequestDecoder(RespLimits.DEFAULTS);
      assertThat(decodeInChunks(decoder, bytes(PIPELINE), chunks)).isEqualTo(PIPELINE_REQUESTS);
    }
  }

  @Test
  void binaryBulkStringsRoundTrip() {
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(bytes("*2\r\n$3\r\nSET\r\n$256\r\n"));
    in.writeBytes(value);
    in.writeBytes(bytes("\r\n"));
    byte[][] request = new RespRequestDecoder(RespLimits.DEFAULTS).decode(in);
    assertThat(request[1]).isEqualTo(value);
  }

  @Test
  void protocolErrorsUseRedisWording() {
    assertError("*abc\r\n", "invalid multibulk length");
    assertError("*1\r\n+PING\r\n", "expected '$', got '+'");
    assertError("*1\r\n$-5\r\n", "invalid bulk length");
    assertError("*1\r\n$01\r\n", "invalid bulk length");
    assertError("*1\r\n$1x\r\n", "invalid bulk length");
    assertError("SET \"a\r\n", "unbalanced quotes in request");
    assertError("SET \"a\"b\r\n", "unbalanced quotes in request");
    assertError("*" + "9".repeat(30) + "\r\n", "invalid multibulk length");
  }

  @Test
  void limitsAreEnforcedBeforeAnythingIsAllocated() {
    RespLimits small = new RespLimits(1024, 100, 64, 10, 16);
    assertError(small, "*101\r\n", "invalid multibulk length");
    assertError(small, "*1\r\n$1025\r\n", "invalid bulk length");
    assertError(small, "x".repeat(65), "too big inline request");
    assertError(small, "*" + "1".repeat(70), "too big mbulk count string");
    assertError(small, "*1\r\n$" + "1".repeat(70), "too big bulk count string");
    // A huge declared bulk length is accepted and waits for data without allocating the value.
    RespRequestDecoder decoder = new RespRequestDecoder(RespLimits.DEFAULTS);
    ByteBuf in = Unpooled.copiedBuffer(bytes("*1\r\n$536870912\r\nabc"));
    assertThat(decoder.decode(in)).isNull();
  }

  @Test
  void unauthenticatedClientsAreHeldToSmallLimits() {
    RespRequestDecoder decoder = new RespRequestDecoder(RespLimits.DEFAULTS);
    decoder.setAuthenticated(false);
    assertThatThrownBy(() -> decoder.decode(Unpooled.copiedBuffer(bytes("*11\r\n"))))
        .isInstanceOf(RespProtocolException.class).hasMessage("unauthenticated multibulk length");
    RespRequestDecoder decoder2 = new RespRequestDecoder(RespLimits.DEFAULTS);
    decoder2.setAuthenticated(false);
    assertThatThrownBy(() -> decoder2.decode(Unpooled.copiedBuffer(bytes("*2\r\n$4\r\nAUTH\r\n$16385\r\n"))))
        .isInstanceOf(RespProtocolException.class).hasMessage("unauthenticated bulk length");
    RespRequestDecoder decoder3 = new RespRequestDecoder(RespLimits.DEFAULTS);
    decoder3.setAuthenticated(false);
    byte[][] auth = decoder3.decode(Unpooled.copiedBuffer(bytes("*2\r\n$4\r\nAUTH\r\n$6\r\ns3cret\r\n")));
    assertThat(auth.length).isEqualTo(2);
    assertThat(auth[1]).isEqualTo(bytes("s3cret"));
  }

  private static void assertError(String input, String message) {
    assertError(RespLimits.DEFAULTS, input, message);
  }

  private static void assertError(RespLimits limits, String input, String message) {
    RespRequestDecoder decoder = new RespRequestDecoder(limits);
    ByteBuf in = Unpooled.copiedBuffer(bytes(input));
    assertThatThrownBy(() -> {
      while (decoder.decode(in) != null) {
        // drain
      }
    }).isInstanceOf(RespProtocolException.class).hasMessage(message);
    assertThat(new RespProtocolException(message).replyText()).isEqualTo("ERR Protocol error: " + message);
  }
}
