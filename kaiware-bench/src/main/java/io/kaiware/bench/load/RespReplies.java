package io.kaiware.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Finds the end of one complete RESP2/RESP3 reply in a buffer without copying or allocating; the
 * bench never needs a reply's content, only where it ends and whether it is an error.
 */
final class RespReplies {
    /** Nesting limit for aggregate replies. */
    static final int MAX_DEPTH = 64;
    /** Longest error kind kept (the first word of an error reply, e.g. ERR, WRONGTYPE, MOVED). */
    static final int MAX_ERROR_KIND_CHARS = 32;

    private RespReplies() {}

    /**
     * @return the index just after the reply starting at {@code from}, or -1 if the buffer does not
     *     yet hold all of it
     * @throws IllegalStateException if the bytes are not RESP
     */
    static int scan(ByteBuf buf, int from, int to) {
        return scan(buf, from, to, 0);
    }

    private static int scan(ByteBuf buf, int from, int to, int depth) {
        if (from >= to) return -1;
        if (depth > MAX_DEPTH) throw new IllegalStateException("reply nested deeper than " + MAX_DEPTH);
        int lf = buf.indexOf(from + 1, to, (byte) '\n');
        if (lf < 0) return -1;
        byte type = buf.getByte(from);
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> {
                return lf + 1;
            }
            case '$', '!', '=' -> {
                long len = parseLength(buf, from + 1, lf - 1);
                if (len < 0) return lf + 1;
                long end = lf + 1 + len + 2;
                return end <= to ? (int) end : -1;
            }
            case '*', '~', '>', '%', '|' -> {
                long n = parseLength(buf, from + 1, lf - 1);
                if (n < 0) return lf + 1;
                if (type == '%' || type == '|') n *= 2;
                int p = lf + 1;
                for (long i = 0; i < n; i++) {
                    p = scan(buf, p, to, depth + 1);
                    if (p < 0) return -1;
                }
                // An attribute ('|') decorates the reply that follows it.
                return type == '|' ? scan(buf, p, to, depth + 1) : p;
            }
            default -> throw new IllegalStateException("not a RESP reply: type byte 0x" + Integer.toHexString(type & 0xff));
        }
    }

    private static long parseLength(ByteBuf buf, int from, int crIndex) {
        if (crIndex <= from || buf.getByte(crIndex) != '\r') throw new IllegalStateException("malformed RESP length line");
        boolean negative = buf.getByte(from) == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < crIndex; i++) {
            int d = buf.getByte(i) - '0';
            if (d < 0 || d > 9) throw new IllegalStateException("malformed RESP length");
            v = v * 10 + d;
            if (v > Integer.MAX_VALUE) throw new IllegalStateException("RESP length too large");
        }
        return negative ? -v : v;
    }

    static boolean isError(ByteBuf buf, int from) {
        byte t = buf.getByte(from);
        return t == '-' || t == '!';
    }

    /** The first word of an error reply. Allocates: only called on the (rare) error path. */
    static String errorKind(ByteBuf buf, int from, int end) {
        int start = from + 1;
        if (buf.getByte(from) == '!') { // RESP3 blob error: $len line first
            int lf = buf.indexOf(start, end, (byte) '\n');
            start = lf < 0 ? end : lf + 1;
        }
        int i = start;
        while (i < end && i - start < MAX_ERROR_KIND_CHARS) {
            byte b = buf.getByte(i);
            if (b == ' ' || b == '\r' || b == '\n') break;
            i++;
        }
        return i == start ? "ERR" : buf.toString(start, i - start, StandardCharsets.US_ASCII);
    }
}
