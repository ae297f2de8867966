package io.kaiware.command.observe;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds JVM garbage-collection pauses into the {@link LatencyMonitor} as the "gc" event, so LATENCY
 * LATEST shows a GC stall next to slow commands (incident 3's stalls were GC marks). Concurrent
 * cycles (ZGC "Cycles", G1 "Concurrent") are not pauses and are skipped.
 */
public final class GcPauseListener implements NotificationListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GcPauseListener.class);

  private final LatencyMonitor monitor;
  private final List<NotificationEmitter> emitters = new ArrayList<>();

  private GcPauseListener(LatencyMonitor monitor) {
    this.monitor = monitor;
  }

  public static GcPauseListener install(LatencyMonitor monitor) {
    GcPauseListener listener = new GcPauseListener(monitor);
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (bean instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        listener.emitters.add(emitter);
      }
    }
    return listener;
  }

  /** Whether a collector's notification describes a stop-the-world pause rather than concurrent work. */
  static boolean isPause(String gcName, String gcAction) {
    if (gcName.contains("Cycles") || gcName.contains("Concurrent")) {
      return false;
    }
    return !gcAction.contains("concurrent");
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    if (!isPause(info.getGcName(), info.getGcAction())) {
      return;
    }
    long pauseMs = info.getGcInfo().getDuration();
    if (monitor.wouldRecord(pauseMs)) {
      monitor.record("gc", pauseMs, System.currentTimeMillis());
      log.warn("GC pause of {} ms ({}, {})", pauseMs, info.getGcName(), info.getGcCause());
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(this);
      } catch (ListenerNotFoundException e) {
        // already gone
      }
    }
  }
}
