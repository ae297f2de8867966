package io.kaiware.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {
    @Test
    void sumsPrivateLinesOfSmapsRollup() {
        List<String> lines = List.of(
                "55d0c0a6b000-7ffd5a9f2000 ---p 00000000 00:00 0                          [rollup]",
                "Rss:                9188 kB",
                "Pss:                6500 kB",
                "Shared_Clean:       2900 kB",
                "Shared_Dirty:          0 kB",
                "Private_Clean:       120 kB",
                "Private_Dirty:      6144 kB",
                "Referenced:         9188 kB",
                "Private_Hugetlb:       0 kB");
        assertThat(ProcessMemory.parseSmapsRollup(lines)).isEqualTo(new MemoryReading(6264, 9188));
        assertThat(ProcessMemory.parseSmapsRollup(List.of())).isNull();
    }

    @Test
    void readsThisProcess() {
        assumeTrue(Files.exists(Path.of("/proc/self/smaps_rollup")), "Linux with smaps_rollup");
        MemoryReading r = ProcessMemory.of(ProcessHandle.current().pid()).read();
        assertThat(r).isNotNull();
        assertThat(r.rssKb()).isPositive();
        assertThat(r.privateKb()).isPositive();
        assertThat(ProcessMemory.of(Long.MAX_VALUE).read()).isNull();
    }

    @Test
    void parsesListeningSocketsOfProcNetTcp() {
        List<String> lines = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:3FCB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0 100 0 0 10 0",
                "   1: 0100007F:3FCB 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 777 1 0 100 0 0 10 0",
                "   2: 00000000:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999 1 0 100 0 0 10 0");
        assertThat(ListeningPid.listeningInodes(lines, 16331)).containsExactly("123456");
        assertThat(ListeningPid.listeningInodes(lines, 6379)).containsExactly("999");
        assertThat(ListeningPid.listeningInodes(lines, 1)).isEmpty();
    }

    @Test
    void findsThisProcessListeningOnAPort() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "Linux");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThat(ListeningPid.find(s.getLocalPort())).isEqualTo(OptionalLong.of(ProcessHandle.current().pid()));
        }
    }
}
