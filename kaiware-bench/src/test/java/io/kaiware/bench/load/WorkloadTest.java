package io.kaiware.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkloadTest {
    private static String encode(Workload w, long sequence, SplittableRandom random) {
        ByteBuf buf = Unpooled.buffer();
        try {
            long seed = random.split().nextLong();
            w.write(buf, sequence, new SplittableRandom(seed));
            assertThat(buf.readableBytes()).isLessThanOrEqualTo(w.maxRequestBytes());
            String direct = buf.toString(StandardCharsets.UTF_8);
            byte[] scratch = new byte[w.maxRequestBytes()];
            int n = w.encode(scratch, sequence, new SplittableRandom(seed));
            assertThat(new String(scratch, 0, n, StandardCharsets.UTF_8)).isEqualTo(direct);
            return direct;
        } finally {
            buf.release();
        }
    }

    @Test
    void setWritesRespWithZeroPaddedSequentialKeysAndFixedValue() {
        Workload w = Workload.parse("set", null, KeyDistribution.parse("sequential", 100_000, 0.99), "key:", "4");
        assertThat(encode(w, 42, new SplittableRandom(1)))
                .isEqualTo("*3\r\n$3\r\nSET\r\n$9\r\nkey:00042\r\n$4\r\nabcd\r\n");
        assertThat(encode(w, 100_042, new SplittableRandom(1))).contains("key:00042");
    }

    @Test
    void getAndIncr() {
        KeyDistribution keys = KeyDistribution.parse("sequential", 10, 0.99);
        assertThat(encode(Workload.parse("get", null, keys, "k", "1"), 7, new SplittableRandom(1)))
                .isEqualTo("*2\r\n$3\r\nGET\r\n$2\r\nk7\r\n");
        assertThat(encode(Workload.parse("incr", null, keys, "k", "1"), 3, new SplittableRandom(1)))
                .isEqualTo("*2\r\n$4\r\nINCR\r\n$10\r\ncounter:k3\r\n");
    }

    @Test
    void templateReplacesKeyInsideAnArgument() {
        Workload w = Workload.parse("set", "ZINCRBY board 1 member:__key__", KeyDistribution.parse("sequential", 1000, 0.99), "key:", "8");
        assertThat(encode(w, 5, new SplittableRandom(1)))
                .isEqualTo("*4\r\n$7\r\nZINCRBY\r\n$5\r\nboard\r\n$1\r\n1\r\n$10\r\nmember:005\r\n");
    }

    @Test
    void distributedValueSizesStayInRange() {
        Workload w = Workload.parse("set", null, KeyDistribution.parse("uniform", 10, 0.99), "k", "10-20");
        SplittableRandom random = new SplittableRandom(3);
        boolean sawMin = false;
        boolean sawMax = false;
        for (int i = 0; i < 2000; i++) {
            String s = encode(w, i, random);
            int len = Integer.parseInt(s.substring(s.lastIndexOf('$') + 1, s.lastIndexOf("\r\n", s.length() - 3)));
            assertThat(len).isBetween(10, 20);
            sawMin |= len == 10;
            sawMax |= len == 20;
        }
        assertThat(sawMin && sawMax).isTrue();
    }

    @Test
    void mixFollowsTheWeights() {
        Workload w = Workload.parse("get:90,set:10", null, KeyDistribution.parse("uniform", 100, 0.99), "k", "4");
        SplittableRandom random = new SplittableRandom(7);
        int sets = 0;
        for (int i = 0; i < 10_000; i++) {
            if (encode(w, i, random).contains("SET")) sets++;
        }
        assertThat(sets).isBetween(850, 1150);
    }

    @Test
    void zipfFavoursLowRanksAndStaysInRange() {
        KeyDistribution z = KeyDistribution.parse("zipf", 1000, 0.99);
        SplittableRandom random = new SplittableRandom(11);
        int[] counts = new int[1000];
        for (int i = 0; i < 100_000; i++) counts[(int) z.next(i, random)]++;
        assertThat(counts[0]).isGreaterThan(counts[10]).isGreaterThan(5_000);
        assertThat(counts[10]).isGreaterThan(counts[500]);
    }

    @Test
    void rejectsBadSpecs() {
        KeyDistribution keys = KeyDistribution.parse("uniform", 10, 0.99);
        assertThatThrownBy(() -> Workload.parse("frob", null, keys, "k", "4")).hasMessageContaining("unknown --command");
        assertThatThrownBy(() -> Workload.parse("get:x", null, keys, "k", "4")).hasMessageContaining("bad weight");
        assertThatThrownBy(() -> Workload.parse("set", null, keys, "k", "20-10")).hasMessageContaining("--value-size");
        assertThatThrownBy(() -> KeyDistribution.parse("pareto", 10, 0.99)).hasMessageContaining("unknown key distribution");
        assertThatThrownBy(() -> KeyDistribution.parse("zipf", 10, 1.0)).hasMessageContaining("--zipf-theta");
    }
}
