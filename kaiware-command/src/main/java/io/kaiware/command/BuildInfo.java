package io.kaiware.command;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Which build is running: version, git commit, build time, plus the JDK and GC it runs on. Read from
 * {@code kaiware-build.properties}, which the build writes; an operator reads it with
 * {@code kaiware --version} or {@code INFO server}.
 */
public record BuildInfo(String version, String gitCommit, boolean gitDirty, String buildTime, String jdk, String gc) {

  public static BuildInfo current() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/kaiware-build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    String jdk = System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.runtime.version", "?");
    String gc = gcName(ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
    String commit = clean(properties.getProperty("git.commit"));
    return new BuildInfo(clean(properties.getProperty("version")), commit,
        "true".equals(properties.getProperty("git.dirty")), clean(properties.getProperty("build.time")), jdk, gc);
  }

  /** The collector's common name from its MXBean names ("ZGC Minor Cycles, ..." is "ZGC"). */
  static String gcName(String beanNames) {
    if (beanNames.contains("ZGC")) {
      return "ZGC";
    } else if (beanNames.contains("G1")) {
      return "G1";
    } else if (beanNames.contains("Shenandoah")) {
      return "Shenandoah";
    } else if (beanNames.contains("PS ")) {
      return "Parallel";
    } else if (beanNames.contains("MarkSweepCompact")) {
      return "Serial";
    } else if (beanNames.contains("Epsilon") || beanNames.isEmpty()) {
      return "Epsilon";
    }
    return beanNames;
  }

  private static String clean(String value) {
    return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
  }

  /** The first 8 hex digits of the commit, "00000000" when unknown (the INFO redis_git_sha1 field). */
  public String shortCommit() {
    return gitCommit.length() >= 8 && !gitCommit.equals("unknown") ? gitCommit.substring(0, 8) : "00000000";
  }

  /** One line for {@code kaiware --version} and the startup log. */
  public String describe() {
    return "kaiware " + version + " (commit " + gitCommit + (gitDirty ? "-dirty" : "") + ", built " + buildTime
        + ") on " + jdk + ", GC: " + gc;
  }
}
