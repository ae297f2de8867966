package io.kaiware.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.List;
import org.junit.jupiter.api.Test;

/** maxmemory with noeviction: Redis's admission rules (tests/unit/multi.tcl's OOM cases). */
class MaxmemoryTest {

  private static final Err OOM = new Err("OOM command not allowed when used memory > 'maxmemory'.");
  private final CommandHarness r = new CommandHarness();

  @Test
  void aboveTheLimitWritesThatMayGrowAreRefusedAndOthersRun() {
    r.exec("SET", "k", "v");
    assertThat(r.exec("CONFIG", "SET", "maxmemory", "1")).isEqualTo("OK");
    assertThat(r.exec("SET", "x", "1")).isEqualTo(OOM);
    assertThat(r.exec("INCR", "n")).isEqualTo(OOM);
    assertThat(r.exec("GET", "k")).isEqualTo("v");
    assertThat(r.exec("DEL", "k")).isEqualTo(1L); // freeing memory is always allowed
    assertThat(r.exec("CONFIG", "SET", "maxmemory", "0")).isEqualTo("OK");
    assertThat(r.exec("SET", "x", "1")).isEqualTo("OK");
  }

  @Test
  void insideMultiEveryQueuedCommandIsRefusedAndExecAborts() {
    r.exec("MULTI");
    r.exec("SET", "foo1", "bar1");
    r.exec("CONFIG", "SET", "maxmemory", "1"); // queued: runs only at EXEC
    r.exec("DISCARD");
    r.exec("CONFIG", "SET", "maxmemory", "1");
    r.exec("MULTI");
    assertThat(r.exec("GET", "k")).isEqualTo(OOM); // the queue itself would grow
    assertThat(r.exec("DISCARD")).isEqualTo("OK");
    assertThat(r.exec("PING")).isEqualTo("PONG");
    // A write queued under the limit, EXEC above it: the block aborts.
    r.exec("CONFIG", "SET", "maxmemory", "0");
    r.exec("MULTI");
    r.exec("SET", "foo1", "bar1");
    CommandHarness admin = r.otherClient();
    admin.exec("CONFIG", "SET", "maxmemory", "1");
    assertThat(r.exec("EXEC")).isEqualTo(new Err("EXECABORT Transaction discarded because of: " + OOM.message()));
    admin.exec("CONFIG", "SET", "maxmemory", "0");
    assertThat(r.exec("EXISTS", "foo1")).isEqualTo(0L);
    assertThat(r.exec("EXEC")).isEqualTo(new Err("ERR EXEC without MULTI"));
  }

  @Test
  void theLogApplierIsNeverRefused() {
    r.exec("CONFIG", "SET", "maxmemory", "1");
    CommandHarness log = r.otherClient(); // same dispatcher and config
    log.session().markLogApplier();
    assertThat(log.exec("SET", "x", "1")).isEqualTo("OK");
    assertThat(r.exec("MGET", "x")).isEqualTo(List.of("1"));
  }

  @Test
  void onlyNoevictionIsAPolicy() {
    assertThat(r.exec("CONFIG", "SET", "maxmemory-policy", "noeviction")).isEqualTo("OK");
    assertThat(r.exec("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")).isInstanceOf(Err.class);
  }
}
