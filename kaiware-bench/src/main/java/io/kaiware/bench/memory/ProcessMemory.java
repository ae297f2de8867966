package io.kaiware.bench.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a process's private memory and RSS from {@code /proc/PID/smaps_rollup} (Linux 4.14+). */
public final class ProcessMemory {
    private final long pid;
    private final Path smapsRollup;

    private ProcessMemory(long pid, Path procRoot) {
        this.pid = pid;
        this.smapsRollup = procRoot.resolve(Long.toString(pid)).resolve("smaps_rollup");
    }

    public static ProcessMemory of(long pid) {
        return new ProcessMemory(pid, Path.of("/proc"));
    }

    public long pid() {
        return pid;
    }

    /** @return the current reading, or null when the process is gone or its smaps are unreadable */
    public MemoryReading read() {
        try {
            return parseSmapsRollup(Files.readAllLines(smapsRollup));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Sums the {@code Private_*} lines (kB) and takes the {@code Rss} line. */
    static MemoryReading parseSmapsRollup(List<String> lines) {
        long privateKb = 0;
        long rssKb = 0;
        boolean any = false;
        for (String line : lines) {
            if (line.startsWith("Private_")) {
                privateKb += kb(line);
                any = true;
            } else if (line.startsWith("Rss:")) {
                rssKb = kb(line);
                any = true;
            }
        }
        return any ? new MemoryReading(privateKb, rssKb) : null;
    }

    private static long kb(String line) {
        int colon = line.indexOf(':');
        String rest = line.substring(colon + 1).trim();
        int space = rest.indexOf(' ');
        return Long.parseLong(space < 0 ? rest : rest.substring(0, space));
    }
}
