package io.kaiware.server.admin;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Class histograms of the live heap, kept so that two can be diffed: the JVM analogue of diffing two
 * heap profiles taken minutes apart (incident 3).
 *
 * <p>A histogram comes from the HotSpot {@code GC.class_histogram} diagnostic command (the
 * {@code gcClassHistogram} operation of the {@code com.sun.management:type=DiagnosticCommand}
 * MBean), which runs a full GC first so only reachable objects are counted: what stays after two
 * histograms is retained, not garbage. On a large heap that full GC is a stop-the-world pause of
 * roughly a second per few GB, so this is an operator's tool, not something to scrape.
 *
 * <p>The last {@link #KEPT} histograms are kept by id; a diff names the classes whose live bytes
 * grew most between an earlier histogram and a new one.
 */
final class HeapHistograms {

  /** How many histograms are kept for diffing; older ones are forgotten. */
  static final int KEPT = 8;

  /** One line of {@code GC.class_histogram}: rank, instances, bytes, class name, optional module. */
  private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");

  /** Instances and bytes of one class. */
  record ClassUsage(String className, long instances, long bytes) {}

  /** One histogram: an id to diff against later, when it was taken, and its classes by bytes. */
  record Histogram(int id, Instant takenAt, List<ClassUsage> classes, long totalInstances, long totalBytes) {}

  /** The change of one class between two histograms. */
  record Growth(String className, long instances, long bytes, long instancesAfter, long bytesAfter) {}

  private final Map<Integer, Histogram> kept = new LinkedHashMap<>();
  private int nextId = 1;

  /** Runs {@code GC.class_histogram} (a full GC) and keeps the result. */
  synchronized Histogram take() throws JMException {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return keep(parse(text));
  }

  synchronized Histogram keep(List<ClassUsage> classes) {
    long instances = 0;
    long bytes = 0;
    for (ClassUsage c : classes) {
      instances += c.instances();
      bytes += c.bytes();
    }
    Histogram h = new Histogram(nextId++, Instant.now(), List.copyOf(classes), instances, bytes);
    kept.put(h.id(), h);
    if (kept.size() > KEPT) {
      kept.remove(kept.keySet().iterator().next());
    }
    return h;
  }

  synchronized Histogram get(int id) {
    return kept.get(id);
  }

  synchronized List<Integer> ids() {
    return new ArrayList<>(kept.keySet());
  }

  /** Parses the diagnostic command's text; lines that are not class lines are skipped. */
  static List<ClassUsage> parse(String text) {
    List<ClassUsage> classes = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        classes.add(new ClassUsage(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
      }
    }
    return classes;
  }

  /**
   * Per-class change from {@code before} to {@code after}, biggest growth first: by bytes, or by
   * instances when {@code byInstances}. Classes that did not change are left out.
   */
  static List<Growth> diff(Histogram before, Histogram after, boolean byInstances) {
    Map<String, ClassUsage> old = new HashMap<>();
    for (ClassUsage c : before.classes()) {
      old.merge(c.className(), c, (a, b) -> new ClassUsage(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
    }
    Map<String, Growth> growth = new HashMap<>();
    for (ClassUsage c : after.classes()) {
      ClassUsage o = old.remove(c.className());
      long oi = o == null ? 0 : o.instances();
      long ob = o == null ? 0 : o.bytes();
      growth.merge(c.className(), new Growth(c.className(), c.instances() - oi, c.bytes() - ob, c.instances(), c.bytes()),
          (a, b) -> new Growth(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes(),
              a.instancesAfter() + b.instancesAfter(), a.bytesAfter() + b.bytesAfter()));
    }
    for (ClassUsage o : old.values()) {
      growth.put(o.className(), new Growth(o.className(), -o.instances(), -o.bytes(), 0, 0));
    }
    Comparator<Growth> order = byInstances
        ? Comparator.comparingLong(Growth::instances).thenComparingLong(Growth::bytes)
        : Comparator.comparingLong(Growth::bytes).thenComparingLong(Growth::instances);
    List<Growth> list = new ArrayList<>();
    for (Growth g : growth.values()) {
      if (g.instances() != 0 || g.bytes() != 0) {
        list.add(g);
      }
    }
    list.sort(order.reversed().thenComparing(Growth::className));
    return list;
  }

  /** The histogram as text, its {@code top} biggest classes. */
  static String format(Histogram h, int top) {
    StringBuilder sb = new StringBuilder();
    sb.append("# kaiware heap histogram id=").append(h.id()).append(" taken=").append(h.takenAt())
        .append(" classes=").append(h.classes().size()).append(" instances=").append(h.totalInstances())
        .append(" bytes=").append(h.totalBytes()).append('\n');
    sb.append("# live objects only (a full GC ran first). Later: /debug/heap?diff=").append(h.id()).append('\n');
    sb.append(String.format("%6s %14s %16s  %s%n", "rank", "instances", "bytes", "class"));
    int n = Math.min(top, h.classes().size());
    for (int i = 0; i < n; i++) {
      ClassUsage c = h.classes().get(i);
      sb.append(String.format("%6d %14d %16d  %s%n", i + 1, c.instances(), c.bytes(), c.className()));
    }
    if (n < h.classes().size()) {
      sb.append("# ").append(h.classes().size() - n).append(" more classes; ask with ?top=N\n");
    }
    return sb.toString();
  }

  /** A diff as text, biggest growth first, its {@code top} lines. */
  static String formatDiff(Histogram before, Histogram after, List<Growth> growth, int top, boolean byInstances) {
    StringBuilder sb = new StringBuilder();
    long seconds = after.takenAt().getEpochSecond() - before.takenAt().getEpochSecond();
    sb.append("# kaiware heap diff from id=").append(before.id()).append(" (").append(before.takenAt())
        .append(") to id=").append(after.id()).append(" (").append(after.takenAt()).append("), ")
        .append(seconds).append(" s apart\n");
    sb.append("# total: instances ").append(signed(after.totalInstances() - before.totalInstances()))
        .append(" bytes ").append(signed(after.totalBytes() - before.totalBytes()))
        .append("; sorted by ").append(byInstances ? "instances" : "bytes").append(" growth, biggest first\n");
    sb.append(String.format("%6s %14s %16s %14s %16s  %s%n", "rank", "d_instances", "d_bytes", "instances", "bytes", "class"));
    int n = Math.min(top, growth.size());
    for (int i = 0; i < n; i++) {
      Growth g = growth.get(i);
      sb.append(String.format("%6d %14s %16s %14d %16d  %s%n", i + 1, signed(g.instances()), signed(g.bytes()),
          g.instancesAfter(), g.bytesAfter(), g.className()));
    }
    return sb.toString();
  }

  private static String signed(long v) {
    return v > 0 ? "+" + v : Long.toString(v);
  }
}
