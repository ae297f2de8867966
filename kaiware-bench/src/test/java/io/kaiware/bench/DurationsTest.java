package io.kaiware.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesUnits() {
        assertThat(Durations.parseNs("500ms")).isEqualTo(500_000_000L);
        assertThat(Durations.parseNs("60s")).isEqualTo(60_000_000_000L);
        assertThat(Durations.parseNs("10m")).isEqualTo(600_000_000_000L);
        assertThat(Durations.parseNs("1h")).isEqualTo(3_600_000_000_000L);
        assertThat(Durations.parseNs("2.5s")).isEqualTo(2_500_000_000L);
        assertThat(Durations.parseNs("3")).isEqualTo(3_000_000_000L);
        assertThat(Durations.parseNs("250us")).isEqualTo(250_000L);
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> Durations.parseNs("ten minutes")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parseNs("-1s")).hasMessageContaining("not a duration");
    }

    @Test
    void formats() {
        assertThat(Durations.format(600_000_000_000L)).isEqualTo("10m");
        assertThat(Durations.format(1_500_000_000L)).isEqualTo("1.500s");
        assertThat(Durations.format(500_000_000L)).isEqualTo("500ms");
    }
}
