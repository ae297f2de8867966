package io.kaiware.command.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's latency monitor: named events (slow commands, expiry cycles, GC pauses ...) whose latency
 * reached {@code latency-monitor-threshold} milliseconds, with the last 160 samples of each and the
 * all-time maximum. Events come from the engine thread and from JVM notification threads, so the
 * methods are synchronized; they run only for events over the threshold.
 */
public final class LatencyMonitor {

  /** Redis's LATENCY_TS_LEN: samples kept per event. */
  static final int SAMPLES_PER_EVENT = 160;

  /** One sample: when (seconds) and how long (milliseconds). */
  public record Sample(long timestampS, long latencyMs) {}

  /** An event's history. */
  public static final class Event {
    final String name;
    final ArrayList<Sample> samples = new ArrayList<>();
    long maxMs;

    Event(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    public List<Sample> samples() {
      return samples;
    }

    public long maxMs() {
      return maxMs;
    }

    public Sample latest() {
      return samples.get(samples.size() - 1);
    }
  }

  private final Map<String, Event> events = new LinkedHashMap<>();
  private volatile long thresholdMs;

  public void configure(long thresholdMs) {
    this.thresholdMs = thresholdMs;
  }

  /** Whether an event of {@code latencyMs} would be recorded (threshold 0 = monitor off). */
  public boolean wouldRecord(long latencyMs) {
    long threshold = thresholdMs;
    return threshold > 0 && latencyMs >= threshold;
  }

  /**
   * Records an event sample if it reaches the threshold. Like Redis, two samples in the same second
   * keep the larger.
   */
  public synchronized void maybeRecord(String event, long latencyMs, long nowMs) {
    if (!wouldRecord(latencyMs)) {
      return;
    }
    record(event, latencyMs, nowMs);
  }

  /** Records unconditionally (for events that are always of interest, such as GC pauses over the threshold). */
  public synchronized void record(String event, long latencyMs, long nowMs) {
    Event e = events.computeIfAbsent(event, Event::new);
    long ts = nowMs / 1000;
    if (!e.samples.isEmpty() && e.latest().timestampS() == ts) {
      Sample last = e.samples.remove(e.samples.size() - 1);
      latencyMs = Math.max(latencyMs, last.latencyMs());
    }
    e.samples.add(new Sample(ts, latencyMs));
    if (e.samples.size() > SAMPLES_PER_EVENT) {
      e.samples.remove(0);
    }
    e.maxMs = Math.max(e.maxMs, latencyMs);
  }

  /** A copy of every event, for LATENCY LATEST / HISTORY / DOCTOR. */
  public synchronized List<Event> snapshot() {
    List<Event> copy = new ArrayList<>();
    for (Event e : events.values()) {
      Event c = new Event(e.name);
      c.samples.addAll(e.samples);
      c.maxMs = e.maxMs;
      copy.add(c);
    }
    return copy;
  }

  /** Resets the named events (all when none are named); returns how many were reset. */
  public synchronized int reset(List<String> names) {
    if (names.isEmpty()) {
      int n = events.size();
      events.clear();
      return n;
    }
    int n = 0;
    for (String name : names) {
      if (events.remove(name) != null) {
        n++;
      }
    }
    return n;
  }
}
