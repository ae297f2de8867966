package io.kaiware.command.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteDelayWatchTest {

  private final LatencyMonitor monitor = new LatencyMonitor();
  private final List<String> lines = new ArrayList<>();
  private final WriteDelayWatch watch = new WriteDelayWatch(monitor, lines::add);

  @Test
  void delayedBatchIsLoggedWithItsSizeAndBecomesALatencyEvent() {
    watch.configure(100);
    monitor.configure(100);
    assertThat(watch.isDelayed(99_999_999L)).isFalse();
    assertThat(watch.isDelayed(100_000_000L)).isTrue();

    watch.report("commit", 180_400_000L, 412, 1_258_291, 1_700_000_000_000L);

    assertThat(lines).containsExactly("writes delayed: 180 ms, 412 commands, 1.2 MB (commit)");
    assertThat(monitor.snapshot()).extracting(LatencyMonitor.Event::name).containsExactly("batch-commit");
    assertThat(watch.delayedBatches()).isEqualTo(1);
  }

  @Test
  void aStormIsOneLinePerSecondThatCountsWhatItDidNotLog() {
    watch.configure(10);
    watch.report("apply", 20_000_000L, 1, 87, 0);
    for (int i = 0; i < 5; i++) {
      watch.report("apply", 30_000_000L, 2, 2048, 0);
    }
    assertThat(lines).containsExactly("writes delayed: 20 ms, 1 command, 87 B (apply)");
    assertThat(watch.delayedBatches()).isEqualTo(6);
  }

  @Test
  void eachStageHasItsOwnLinePerSecond() {
    watch.configure(10);
    watch.report("apply", 20_000_000L, 1, 87, 0);
    watch.report("apply", 25_000_000L, 1, 87, 0);
    watch.report("commit", 40_000_000L, 300, 655_360, 0);
    watch.report("commit", 45_000_000L, 300, 655_360, 0);
    assertThat(lines).containsExactly("writes delayed: 20 ms, 1 command, 87 B (apply)",
        "writes delayed: 40 ms, 300 commands, 640.0 KB (commit)");
    assertThat(watch.delayedBatches()).isEqualTo(4);
  }

  @Test
  void zeroTurnsTheWarningOff() {
    watch.configure(0);
    assertThat(watch.isDelayed(Long.MAX_VALUE - 1)).isFalse();
  }

  @Test
  void sizesReadAsAnOperatorWritesThem() {
    assertThat(WriteDelayWatch.bytes(87)).isEqualTo("87 B");
    assertThat(WriteDelayWatch.bytes(655_360)).isEqualTo("640.0 KB");
    assertThat(WriteDelayWatch.bytes(1_258_291)).isEqualTo("1.2 MB");
  }
}
