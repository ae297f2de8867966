package io.kaiware.bench.memory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds the local process listening on a TCP port: the socket inodes in LISTEN state come from
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}, then {@code /proc/*}{@code /fd/*} links named
 * {@code socket:[inode]} name the owner. Only processes this user may inspect are found.
 */
public final class ListeningPid {
    private static final String LISTEN_STATE = "0A";

    private ListeningPid() {}

    public static OptionalLong find(int port) {
        return find(Path.of("/proc"), port);
    }

    static OptionalLong find(Path proc, int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : new String[] {"net/tcp", "net/tcp6"}) {
            try {
                inodes.addAll(listeningInodes(Files.readAllLines(proc.resolve(table)), port));
            } catch (IOException | RuntimeException ignored) {
                // no IPv6, or not Linux
            }
        }
        if (inodes.isEmpty()) return OptionalLong.empty();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path pidDir : pids) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
                    for (Path fd : fds) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(fd).toString();
                        } catch (IOException | UnsupportedOperationException e) {
                            continue;
                        }
                        if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                            return OptionalLong.of(Long.parseLong(pidDir.getFileName().toString()));
                        }
                    }
                } catch (IOException | SecurityException ignored) {
                    // another user's process
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** Parses the lines of /proc/net/tcp: {@code sl local_address rem_address st ... inode}. */
    static Set<String> listeningInodes(List<String> lines, int port) {
        Set<String> inodes = new HashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 10) continue;
            String local = f[1];
            int colon = local.lastIndexOf(':');
            if (colon < 0) continue;
            int localPort = Integer.parseInt(local.substring(colon + 1), 16);
            if (localPort == port && LISTEN_STATE.equals(f[3])) inodes.add(f[9]);
        }
        return inodes;
    }
}
