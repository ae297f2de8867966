package io.kaiware.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profiling state machine against a stand-in profiler: fallbacks, errors, the busy guard. */
class ProfilingTest {

  /** Records commands; refuses perf-based {@code event=cpu} like a container without perf events. */
  static final class NoPerfEvents implements Profiling.Control {
    final List<String> commands = new ArrayList<>();
    boolean refuseItimer;

    @Override
    public String execute(String command) {
      commands.add(command);
      if (command.startsWith("start,event=cpu")) {
        throw new IllegalStateException("Perf events unavailable");
      }
      if (refuseItimer && command.startsWith("start,event=itimer")) {
        throw new IllegalStateException("Could not set itimer");
      }
      return "OK";
    }
  }

  @Test
  void cpuFallsBackToItimerWhenPerfEventsAreNotPermitted() throws Exception {
    NoPerfEvents profiler = new NoPerfEvents();
    Profiling.Result r = new Profiling(() -> profiler).profile(1, Profiling.Event.CPU, Profiling.Format.COLLAPSED);
    try {
      assertThat(r.event()).isEqualTo(Profiling.Event.ITIMER);
      assertThat(r.note()).contains("Perf events unavailable", "fell back to event=itimer");
      assertThat(profiler.commands).hasSize(3);
      assertThat(profiler.commands.get(0)).isEqualTo("start,event=cpu");
      assertThat(profiler.commands.get(1)).isEqualTo("start,event=itimer");
      assertThat(profiler.commands.get(2)).startsWith("stop,collapsed,file=");
    } finally {
      Files.deleteIfExists(r.file());
    }
  }

  @Test
  void otherEventsDoNotFallBack() {
    Profiling.Control failing = command -> {
      throw new IllegalStateException("No AllocTracer symbols found");
    };
    assertThatThrownBy(() -> new Profiling(() -> failing).profile(1, Profiling.Event.ALLOC, Profiling.Format.FLAMEGRAPH))
        .isInstanceOf(Profiling.Unavailable.class)
        .hasMessage("async-profiler could not start event=alloc: No AllocTracer symbols found");
  }

  @Test
  void bothCpuEnginesFailingIsAClearError() {
    NoPerfEvents profiler = new NoPerfEvents();
    profiler.refuseItimer = true;
    assertThatThrownBy(() -> new Profiling(() -> profiler).profile(1, Profiling.Event.CPU, Profiling.Format.FLAMEGRAPH))
        .isInstanceOf(Profiling.Unavailable.class)
        .hasMessage("async-profiler could not start event=cpu (Perf events unavailable) nor event=itimer (Could not set itimer)");
  }

  @Test
  void aProfilerThatCannotLoadIsAClearError() {
    Profiling profiling = new Profiling(() -> {
      throw new IllegalStateException("async-profiler could not be loaded on Linux/riscv64: java.lang.UnsatisfiedLinkError");
    });
    assertThatThrownBy(() -> profiling.profile(1, Profiling.Event.CPU, Profiling.Format.FLAMEGRAPH))
        .isInstanceOf(Profiling.Unavailable.class)
        .hasMessageStartingWith("async-profiler could not be loaded on Linux/riscv64");
    // the failure released the one-at-a-time guard
    assertThatThrownBy(() -> profiling.profile(1, Profiling.Event.CPU, Profiling.Format.FLAMEGRAPH))
        .isInstanceOf(Profiling.Unavailable.class);
  }

  @Test
  void jfrFormatPassesTheFileAtStart() throws Exception {
    List<String> commands = new ArrayList<>();
    Profiling.Result r = new Profiling(() -> c -> {
      commands.add(c);
      return "OK";
    }).profile(1, Profiling.Event.WALL, Profiling.Format.JFR);
    Files.deleteIfExists(r.file());
    assertThat(commands).hasSize(2);
    assertThat(commands.get(0)).startsWith("start,event=wall,jfr,file=").endsWith(".jfr");
    assertThat(commands.get(1)).isEqualTo("stop");
  }
}
