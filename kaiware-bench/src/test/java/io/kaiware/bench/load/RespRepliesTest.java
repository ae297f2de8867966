package io.kaiware.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RespRepliesTest {
    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static int scan(String s) {
        ByteBuf b = buf(s);
        try {
            return RespReplies.scan(b, 0, b.writerIndex());
        } finally {
            b.release();
        }
    }

    @Test
    void findsTheEndOfEachReplyType() {
        assertThat(scan("+OK\r\n")).isEqualTo(5);
        assertThat(scan(":12\r\n+OK\r\n")).isEqualTo(5);
        assertThat(scan("$5\r\nhello\r\n")).isEqualTo(11);
        assertThat(scan("$-1\r\n")).isEqualTo(5);
        assertThat(scan("*2\r\n$1\r\na\r\n*1\r\n:1\r\n")).isEqualTo(19);
        assertThat(scan("*-1\r\n")).isEqualTo(5);
        assertThat(scan("%1\r\n+k\r\n+v\r\n")).isEqualTo(12);
        assertThat(scan("_\r\n")).isEqualTo(3);
    }

    @Test
    void everyPrefixOfAReplyIsIncomplete() {
        String reply = "*3\r\n$5\r\nhello\r\n:1\r\n*1\r\n$-1\r\n";
        for (int i = 0; i < reply.length(); i++) assertThat(scan(reply.substring(0, i))).as("prefix %d", i).isEqualTo(-1);
        assertThat(scan(reply)).isEqualTo(reply.length());
    }

    @Test
    void errorKindIsTheFirstWord() {
        ByteBuf b = buf("-WRONGTYPE Operation against a key\r\n-MOVED 3999 127.0.0.1:6381\r\n-\r\n");
        try {
            int end = RespReplies.scan(b, 0, b.writerIndex());
            assertThat(RespReplies.isError(b, 0)).isTrue();
            assertThat(RespReplies.errorKind(b, 0, end)).isEqualTo("WRONGTYPE");
            int end2 = RespReplies.scan(b, end, b.writerIndex());
            assertThat(RespReplies.errorKind(b, end, end2)).isEqualTo("MOVED");
            int end3 = RespReplies.scan(b, end2, b.writerIndex());
            assertThat(RespReplies.errorKind(b, end2, end3)).isEqualTo("ERR");
        } finally {
            b.release();
        }
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> scan("hello\r\n")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> scan("$x\r\n")).isInstanceOf(IllegalStateException.class);
    }
}
