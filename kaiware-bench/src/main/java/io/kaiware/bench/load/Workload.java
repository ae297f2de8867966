package io.kaiware.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What to send: one or more weighted command templates, a key distribution and a value size
 * distribution. Templates are pre-encoded once into RESP fragments, so {@link #write} produces a
 * complete RESP request straight into a (pooled) {@link ByteBuf} without allocating: key digits are
 * written one byte at a time and values are slices of a shared filler array.
 *
 * <p>Placeholders inside a template argument: {@code __key__} (key prefix + zero-padded key index)
 * and {@code __value__} (a value of the configured size). An argument may carry text around one
 * placeholder, e.g. {@code member:__key__}.
 */
public final class Workload {
    static final String KEY = "__key__";
    static final String VALUE = "__value__";
    private static final byte[] CRLF = {'\r', '\n'};

    private final Template[] templates;
    private final int[] cumulativeWeights;
    private final int totalWeight;
    private final KeyDistribution keys;
    private final int keyDigits;
    private final long[] powersOf10;
    private final int minValueBytes;
    private final int maxValueBytes;
    private final byte[] filler;
    private final String description;

    private Workload(List<Template> templates, List<Integer> weights, KeyDistribution keys,
                     int minValueBytes, int maxValueBytes, String description) {
        this.templates = templates.toArray(new Template[0]);
        this.cumulativeWeights = new int[weights.size()];
        int sum = 0;
        for (int i = 0; i < weights.size(); i++) {
            sum += weights.get(i);
            cumulativeWeights[i] = sum;
        }
        if (sum <= 0) throw new IllegalArgumentException("command weights must add up to more than 0");
        this.totalWeight = sum;
        this.keys = keys;
        this.keyDigits = Long.toString(Math.max(0, keys.keys - 1)).length();
        this.powersOf10 = new long[19];
        powersOf10[0] = 1;
        for (int i = 1; i < powersOf10.length; i++) powersOf10[i] = powersOf10[i - 1] * 10;
        this.minValueBytes = minValueBytes;
        this.maxValueBytes = maxValueBytes;
        this.filler = new byte[maxValueBytes];
        for (int i = 0; i < filler.length; i++) filler[i] = (byte) ('a' + i % 26);
        this.description = description;
    }

    /**
     * @param command    {@code set}, {@code get}, {@code incr}, or a mix such as {@code get:90,set:10}
     * @param template   an arbitrary command template (overrides {@code command} when not null)
     * @param keyPrefix  prepended to the key index by the built-in commands (a template writes its own prefix)
     * @param valueSize  {@code 32} (fixed) or {@code 16-1024} (uniform between the two, inclusive)
     */
    public static Workload parse(String command, String template, KeyDistribution keys, String keyPrefix, String valueSize) {
        int[] sizes = parseValueSize(valueSize);
        List<Template> templates = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        String description;
        if (template != null && !template.isBlank()) {
            templates.add(Template.compile(template, ""));
            weights.add(1);
            description = "template \"" + template + "\"";
        } else {
            for (String part : command.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                int colon = p.indexOf(':');
                String name = (colon < 0 ? p : p.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
                int weight = 1;
                if (colon >= 0) {
                    try {
                        weight = Integer.parseInt(p.substring(colon + 1).trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad weight in --command '" + p + "' (example: get:90,set:10)");
                    }
                    if (weight < 0) throw new IllegalArgumentException("negative weight in --command '" + p + "'");
                }
                String text = switch (name) {
                    case "set" -> "SET " + KEY + " " + VALUE;
                    case "get" -> "GET " + KEY;
                    case "incr" -> "INCR counter:" + KEY;
                    case "ping" -> "PING";
                    default -> throw new IllegalArgumentException(
                            "unknown --command '" + name + "' (set, get, incr, ping, or use --template)");
                };
                templates.add(Template.compile(text, keyPrefix));
                weights.add(weight);
            }
            if (templates.isEmpty()) throw new IllegalArgumentException("--command is empty");
            description = command.toLowerCase(Locale.ROOT);
        }
        description += "; " + keys.keys + " keys " + keys.name() + "; value "
                + (sizes[0] == sizes[1] ? sizes[0] + " B" : sizes[0] + "-" + sizes[1] + " B uniform");
        return new Workload(templates, weights, keys, sizes[0], sizes[1], description);
    }

    static int[] parseValueSize(String spec) {
        String s = spec.trim();
        int dash = s.indexOf('-');
        try {
            int min = Integer.parseInt((dash < 0 ? s : s.substring(0, dash)).trim());
            int max = dash < 0 ? min : Integer.parseInt(s.substring(dash + 1).trim());
            if (min < 0 || max < min || max > 512 * 1024 * 1024) throw new NumberFormatException();
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad --value-size '" + spec + "' (examples: 32, 16-1024)");
        }
    }

    public String description() {
        return description;
    }

    /** An upper bound of the bytes {@link #write} produces for one request. */
    int maxRequestBytes() {
        int max = 0;
        for (Template t : templates) max = Math.max(max, t.maxBytes(keyDigits, maxValueBytes));
        return max;
    }

    /** Writes one complete RESP request. Allocation-free. */
    void write(ByteBuf out, long sequence, SplittableRandom random) {
        Template t = templates[0];
        if (templates.length > 1) {
            int r = random.nextInt(totalWeight);
            int i = 0;
            while (r >= cumulativeWeights[i]) i++;
            t = templates[i];
        }
        out.writeBytes(t.header);
        for (Arg arg : t.args) {
            switch (arg.kind) {
                case LITERAL -> out.writeBytes(arg.encoded);
                case KEY -> {
                    long key = keys.next(sequence, random);
                    writeLength(out, arg.prefix.length + keyDigits + arg.suffix.length);
                    out.writeBytes(arg.prefix);
                    for (int d = keyDigits - 1; d >= 0; d--) out.writeByte('0' + (int) ((key / powersOf10[d]) % 10));
                    out.writeBytes(arg.suffix);
                    out.writeBytes(CRLF);
                }
                case VALUE -> {
                    int size = minValueBytes == maxValueBytes ? minValueBytes : minValueBytes + random.nextInt(maxValueBytes - minValueBytes + 1);
                    writeLength(out, arg.prefix.length + size + arg.suffix.length);
                    out.writeBytes(arg.prefix);
                    out.writeBytes(filler, 0, size);
                    out.writeBytes(arg.suffix);
                    out.writeBytes(CRLF);
                }
            }
        }
    }

    /**
     * Encodes one complete RESP request into {@code out} from index 0 (which must hold
     * {@link #maxRequestBytes} bytes) and returns its length. Allocation-free, and faster than
     * writing byte by byte into a direct buffer; the caller copies the result in one go.
     */
    int encode(byte[] out, long sequence, SplittableRandom random) {
        Template t = templates[0];
        if (templates.length > 1) {
            int r = random.nextInt(totalWeight);
            int i = 0;
            while (r >= cumulativeWeights[i]) i++;
            t = templates[i];
        }
        int p = put(out, 0, t.header);
        for (Arg arg : t.args) {
            switch (arg.kind) {
                case LITERAL -> p = put(out, p, arg.encoded);
                case KEY -> {
                    long key = keys.next(sequence, random);
                    p = putLength(out, p, arg.prefix.length + keyDigits + arg.suffix.length);
                    p = put(out, p, arg.prefix);
                    for (int d = keyDigits - 1; d >= 0; d--) out[p++] = (byte) ('0' + (int) ((key / powersOf10[d]) % 10));
                    p = put(out, p, arg.suffix);
                    out[p++] = '\r';
                    out[p++] = '\n';
                }
                case VALUE -> {
                    int size = minValueBytes == maxValueBytes ? minValueBytes : minValueBytes + random.nextInt(maxValueBytes - minValueBytes + 1);
                    p = putLength(out, p, arg.prefix.length + size + arg.suffix.length);
                    p = put(out, p, arg.prefix);
                    System.arraycopy(filler, 0, out, p, size);
                    p += size;
                    p = put(out, p, arg.suffix);
                    out[p++] = '\r';
                    out[p++] = '\n';
                }
            }
        }
        return p;
    }

    private static int put(byte[] out, int p, byte[] bytes) {
        System.arraycopy(bytes, 0, out, p, bytes.length);
        return p + bytes.length;
    }

    private int putLength(byte[] out, int p, long value) {
        out[p++] = '$';
        int digits = 1;
        while (digits < 19 && value >= powersOf10[digits]) digits++;
        for (int d = digits - 1; d >= 0; d--) out[p++] = (byte) ('0' + (int) ((value / powersOf10[d]) % 10));
        out[p++] = '\r';
        out[p++] = '\n';
        return p;
    }

    private void writeLength(ByteBuf out, int length) {
        out.writeByte('$');
        writeDecimal(out, length);
        out.writeBytes(CRLF);
    }

    private void writeDecimal(ByteBuf out, long value) {
        int digits = 1;
        while (digits < 19 && value >= powersOf10[digits]) digits++;
        for (int d = digits - 1; d >= 0; d--) out.writeByte('0' + (int) ((value / powersOf10[d]) % 10));
    }

    private enum Kind { LITERAL, KEY, VALUE }

    private record Arg(Kind kind, byte[] encoded, byte[] prefix, byte[] suffix) {}

    private record Template(byte[] header, Arg[] args) {
        static Template compile(String text, String keyPrefix) {
            String[] words = text.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) throw new IllegalArgumentException("empty command template");
            Arg[] args = new Arg[words.length];
            for (int i = 0; i < words.length; i++) {
                String w = words[i];
                int k = w.indexOf(KEY);
                int v = w.indexOf(VALUE);
                if (k >= 0) {
                    args[i] = new Arg(Kind.KEY, null, bytes(w.substring(0, k) + keyPrefix), bytes(w.substring(k + KEY.length())));
                } else if (v >= 0) {
                    args[i] = new Arg(Kind.VALUE, null, bytes(w.substring(0, v)), bytes(w.substring(v + VALUE.length())));
                } else {
                    byte[] b = bytes(w);
                    args[i] = new Arg(Kind.LITERAL, bytes("$" + b.length + "\r\n" + w + "\r\n"), null, null);
                }
            }
            return new Template(bytes("*" + words.length + "\r\n"), args);
        }

        int maxBytes(int keyDigits, int maxValueBytes) {
            int n = header.length;
            for (Arg a : args) {
                n += switch (a.kind) {
                    case LITERAL -> a.encoded.length;
                    case KEY -> 16 + a.prefix.length + keyDigits + a.suffix.length;
                    case VALUE -> 16 + a.prefix.length + maxValueBytes + a.suffix.length;
                };
            }
            return n;
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
