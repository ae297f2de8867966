package io.kaiware.server.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import one.profiler.AsyncProfiler;

/**
 * On-demand profiles: async-profiler (in-process, its bundled linux-x64 library) for flame graphs,
 * collapsed stacks and async-profiler JFR files, and the JDK's own Flight Recorder.
 *
 * <p>Only one profiling session runs at a time, async-profiler or JFR: a second request is refused
 * ({@link Busy}, HTTP 409) rather than queued, because async-profiler is a process-wide singleton
 * and two overlapping sessions would corrupt each other.
 *
 * <p>CPU profiling prefers perf events; where the kernel or a container forbids them
 * ({@code perf_event_paranoid}, seccomp) starting fails, and the session falls back to
 * {@code itimer} (setitimer-based CPU sampling: no kernel stacks, but works everywhere) and says so.
 */
final class Profiling {

  /** Longest profile or recording an operator may ask for, in seconds. */
  static final int MAX_SECONDS = 300;

  /** Events an operator may ask for; {@code itimer} is also what {@code cpu} falls back to. */
  enum Event { CPU, ALLOC, LOCK, WALL, ITIMER }

  /** Output formats: an interactive HTML flame graph, a JFR file, or one collapsed stack per line. */
  enum Format {
    FLAMEGRAPH("html", "text/html; charset=utf-8"),
    JFR("jfr", "application/octet-stream"),
    COLLAPSED("txt", "text/plain; charset=utf-8");

    final String extension;
    final String contentType;

    Format(String extension, String contentType) {
      this.extension = extension;
      this.contentType = contentType;
    }
  }

  /** Another profiling session is running. */
  static final class Busy extends Exception {
    Busy() {
      super("another profile or JFR recording is running; try again when it ends");
    }
  }

  /** async-profiler could not be loaded or started; the message says why. */
  static final class Unavailable extends Exception {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A finished profile on disk; the caller streams and deletes it. */
  record Result(Path file, Format format, Event event, String note) {}

  /** The part of async-profiler used here, so tests can stand in a profiler that fails. */
  interface Control {
    /** Runs an async-profiler command ({@code start,event=cpu}, {@code stop,file=...}). */
    String execute(String command) throws IOException;
  }

  private final AtomicBoolean busy = new AtomicBoolean();
  private final Supplier<Control> loader;

  /** Profiles with the real async-profiler, loaded on first use. */
  Profiling() {
    this(Profiling::load);
  }

  /** Profiles with {@code loader}'s profiler; the loader throws {@link IllegalStateException} when none loads. */
  Profiling(Supplier<Control> loader) {
    this.loader = loader;
  }

  /**
   * Profiles the whole process for {@code seconds}, blocking the calling thread, and returns the
   * output file. Interrupting the thread ends the profile early.
   */
  Result profile(int seconds, Event event, Format format) throws Busy, Unavailable, IOException, InterruptedException {
    if (!busy.compareAndSet(false, true)) {
      throw new Busy();
    }
    Path file = null;
    try {
      Control profiler;
      try {
        profiler = loader.get();
      } catch (IllegalStateException e) {
        throw new Unavailable(e.getMessage(), e);
      }
      file = Files.createTempFile("kaiware-profile-", "." + format.extension);
      Event used = event;
      String note = "";
      String outputArgs = (format == Format.JFR ? "jfr" : format.name().toLowerCase(Locale.ROOT)) + ",file=" + file;
      try {
        start(profiler, event, format, file);
      } catch (IllegalStateException | IOException e) {
        if (event != Event.CPU) {
          throw new Unavailable("async-profiler could not start event=" + name(event) + ": " + e.getMessage(), e);
        }
        // Typically "Perf events unavailable" in a container: sample CPU with setitimer instead.
        try {
          start(profiler, Event.ITIMER, format, file);
        } catch (IllegalStateException | IOException e2) {
          e2.addSuppressed(e);
          throw new Unavailable("async-profiler could not start event=cpu (" + e.getMessage()
              + ") nor event=itimer (" + e2.getMessage() + ")", e2);
        }
        used = Event.ITIMER;
        note = "perf events are not permitted here (" + String.valueOf(e.getMessage()).trim()
            + "); fell back to event=itimer (CPU time via setitimer, no kernel frames)";
      }
      try {
        Thread.sleep(Duration.ofSeconds(seconds));
      } finally {
        profiler.execute(format == Format.JFR ? "stop" : "stop," + outputArgs);
      }
      Result result = new Result(file, format, used, note);
      file = null;
      return result;
    } finally {
      if (file != null) {
        Files.deleteIfExists(file);
      }
      busy.set(false);
    }
  }

  private static void start(Control profiler, Event event, Format format, Path file) throws IOException {
    String args = "start,event=" + name(event);
    if (format == Format.JFR) {
      args += ",jfr,file=" + file;
    }
    profiler.execute(args);
  }

  static String name(Event event) {
    return event.name().toLowerCase(Locale.ROOT);
  }

  private static Control load() {
    try {
      return AsyncProfiler.getInstance()::execute;
    } catch (Throwable e) { // UnsatisfiedLinkError on another OS or CPU, or a denied native access
      throw new IllegalStateException("async-profiler could not be loaded on " + System.getProperty("os.name") + "/"
          + System.getProperty("os.arch") + ": " + e, e);
    }
  }

  /**
   * Records the JDK Flight Recorder "profile" configuration for {@code seconds} and returns the
   * .jfr file. Interrupting the thread ends the recording early.
   */
  Path jfr(int seconds) throws Busy, IOException, InterruptedException, java.text.ParseException {
    if (!busy.compareAndSet(false, true)) {
      throw new Busy();
    }
    Path file = Files.createTempFile("kaiware-", ".jfr");
    boolean ok = false;
    try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
      recording.setName("kaiware-admin");
      recording.setToDisk(true);
      recording.setDestination(file);
      recording.start();
      try {
        Thread.sleep(Duration.ofSeconds(seconds));
      } finally {
        recording.stop(); // writes the destination file
      }
      ok = true;
      return file;
    } finally {
      if (!ok) {
        Files.deleteIfExists(file);
      }
      busy.set(false);
    }
  }
}
