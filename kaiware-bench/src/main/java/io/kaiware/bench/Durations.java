package io.kaiware.bench;

import java.util.Locale;

/** Parses human durations such as {@code 500ms}, {@code 60s}, {@code 10m}, {@code 1h}, {@code 2.5s}; a bare number is seconds. */
final class Durations {
    private Durations() {}

    static long parseNs(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long unitNs;
        String number;
        if (s.endsWith("ns")) { unitNs = 1L; number = s.substring(0, s.length() - 2); }
        else if (s.endsWith("us") || s.endsWith("µs")) { unitNs = 1_000L; number = s.substring(0, s.length() - 2); }
        else if (s.endsWith("ms")) { unitNs = 1_000_000L; number = s.substring(0, s.length() - 2); }
        else if (s.endsWith("s")) { unitNs = 1_000_000_000L; number = s.substring(0, s.length() - 1); }
        else if (s.endsWith("m")) { unitNs = 60_000_000_000L; number = s.substring(0, s.length() - 1); }
        else if (s.endsWith("h")) { unitNs = 3_600_000_000_000L; number = s.substring(0, s.length() - 1); }
        else { unitNs = 1_000_000_000L; number = s; }
        double value;
        try {
            value = Double.parseDouble(number.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 500ms, 60s, 10m, 1h)");
        }
        if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("not a duration: '" + text + "'");
        }
        return Math.round(value * unitNs);
    }

    static String format(long ns) {
        if (ns >= 60_000_000_000L && ns % 60_000_000_000L == 0) return (ns / 60_000_000_000L) + "m";
        if (ns >= 1_000_000_000L) return trim(ns / 1e9) + "s";
        return trim(ns / 1e6) + "ms";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
