package io.kaiware.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RespWriterTest {

  private static String write(int protocol, Consumer<RespWriter> body) {
    ByteBuf buf = Unpooled.buffer();
    body.accept(new RespWriter(buf, protocol));
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void integersAndLengths() {
    assertThat(write(2, w -> w.integer(0))).isEqualTo(":0\r\n");
    assertThat(write(2, w -> w.integer(1023))).isEqualTo(":1023\r\n");
    assertThat(write(2, w -> w.integer(1024))).isEqualTo(":1024\r\n");
    assertThat(write(2, w -> w.integer(-42))).isEqualTo(":-42\r\n");
    assertThat(write(2, w -> w.integer(Long.MAX_VALUE))).isEqualTo(":9223372036854775807\r\n");
    assertThat(write(2, w -> w.integer(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
    assertThat(write(2, w -> w.bulk(new byte[2000]))).startsWith("$2000\r\n").hasSize(2000 + 9);
    assertThat(write(2, w -> w.arrayHeader(5000))).isEqualTo("*5000\r\n");
  }

  @Test
  void resp3TypesDegradeToResp2() {
    assertThat(write(2, RespWriter::nullBulk)).isEqualTo("$-1\r\n");
    assertThat(write(3, RespWriter::nullBulk)).isEqualTo("_\r\n");
    assertThat(write(2, RespWriter::nullArray)).isEqualTo("*-1\r\n");
    assertThat(write(2, w -> w.mapHeader(2))).isEqualTo("*4\r\n");
    assertThat(write(3, w -> w.mapHeader(2))).isEqualTo("%2\r\n");
    assertThat(write(2, w -> w.setHeader(3))).isEqualTo("*3\r\n");
    assertThat(write(3, w -> w.setHeader(3))).isEqualTo("~3\r\n");
    assertThat(write(2, w -> w.bool(true))).isEqualTo(":1\r\n");
    assertThat(write(3, w -> w.bool(false))).isEqualTo("#f\r\n");
    assertThat(write(2, w -> w.doubleValue(1.5, "1.5"))).isEqualTo("$3\r\n1.5\r\n");
    assertThat(write(3, w -> w.doubleValue(1.5, "1.5"))).isEqualTo(",1.5\r\n");
    assertThat(write(3, w -> w.doubleValue(Double.NEGATIVE_INFINITY, "-inf"))).isEqualTo(",-inf\r\n");
    assertThat(write(2, w -> w.verbatim("txt", "hi"))).isEqualTo("$2\r\nhi\r\n");
    assertThat(write(3, w -> w.verbatim("txt", "hi"))).isEqualTo("=6\r\ntxt:hi\r\n");
  }

  @Test
  void errorAndStatusLinesNeverContainLineBreaks() {
    assertThat(write(2, w -> w.error("ERR bad\r\nthing"))).isEqualTo("-ERR bad  thing\r\n");
    assertThat(write(2, w -> w.simpleString("a\nb"))).isEqualTo("+a b\r\n");
  }
}
