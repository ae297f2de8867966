package io.kaiware.raft;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.server.metrics.RaftLogMetricsBase;
import org.apache.ratis.server.metrics.SegmentedRaftLogMetrics;
import org.apache.ratis.thirdparty.com.codahale.metrics.MetricRegistry;
import org.apache.ratis.thirdparty.com.codahale.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every fsync of the Raft log. Ratis's log worker times each flush of its segment (write and
 * {@code FileChannel.force}) with the {@code syncTime} timer of its per-member metrics registry;
 * that registry is shared and reference counted, and a timer already registered under the name is
 * reused. So this timer is registered there before the Ratis server is built: Ratis then records
 * into it, and each duration also reaches {@code onFsyncNanos} (INFO raft, /metrics, LATENCY).
 *
 * <p>{@link #hooked()} says whether Ratis really uses it (false if a Ratis upgrade renamed the
 * metric: the fsync figures then stay at zero, and a test notices).
 */
final class FsyncTimer extends Timer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FsyncTimer.class);

  private final LongConsumer onFsyncNanos;
  private final RatisMetricRegistry registry;
  private final MetricRegistry dropwizard;
  private final String name;

  private FsyncTimer(LongConsumer onFsyncNanos, RatisMetricRegistry registry, MetricRegistry dropwizard, String name) {
    this.onFsyncNanos = onFsyncNanos;
    this.registry = registry;
    this.dropwizard = dropwizard;
    this.name = name;
  }

  /** Registers the timer for {@code member}'s log; call before the Ratis server is built. Null when impossible. */
  static FsyncTimer install(RaftGroupMemberId member, LongConsumer onFsyncNanos) {
    RatisMetricRegistry registry;
    try {
      registry = RaftLogMetricsBase.createRegistry(member);
    } catch (RuntimeException e) {
      log.debug("no Ratis metrics registry: fsync latency not tracked", e);
      return null;
    }
    MetricRegistryInfo info = registry.getMetricRegistryInfo();
    if (!(registry instanceof RatisMetricRegistryImpl impl)) {
      MetricRegistries.global().remove(info);
      log.debug("Ratis metrics registry {} is not the default one: fsync latency not tracked", registry.getClass());
      return null;
    }
    MetricRegistry dropwizard = impl.getDropWizardMetricRegistry();
    String name = MetricRegistry.name(info.getApplicationName(), info.getMetricsComponentName(), info.getPrefix(),
        SegmentedRaftLogMetrics.RAFT_LOG_SYNC_TIME);
    FsyncTimer timer = new FsyncTimer(onFsyncNanos, registry, dropwizard, name);
    dropwizard.remove(name); // a previous incarnation of this member in the same JVM
    dropwizard.register(name, timer);
    return timer;
  }

  @Override
  public void update(long duration, TimeUnit unit) {
    super.update(duration, unit);
    try {
      onFsyncNanos.accept(unit.toNanos(duration));
    } catch (RuntimeException e) {
      log.debug("fsync listener failed", e);
    }
  }

  /** Whether Ratis's log worker records into this timer. */
  boolean hooked() {
    return dropwizard.getMetrics().get(name) == this;
  }

  /** Drops this timer and the reference to the registry it took. */
  @Override
  public void close() {
    if (hooked()) {
      dropwizard.remove(name);
    }
    MetricRegistries.global().remove(registry.getMetricRegistryInfo());
  }
}
