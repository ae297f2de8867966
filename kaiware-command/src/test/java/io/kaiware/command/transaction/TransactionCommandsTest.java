package io.kaiware.command.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MULTI/EXEC/DISCARD/WATCH/UNWATCH against Redis 7.0 (cases from tests/unit/multi.tcl). */
class TransactionCommandsTest {

  private static final Err EXECABORT = new Err("EXECABORT Transaction discarded because of previous errors.");
  private CommandHarness r;
  private CommandHarness other;

  @BeforeEach
  void setUp() {
    r = new CommandHarness();
    other = r.otherClient();
  }

  @Test
  void execRunsQueuedCommands() {
    assertThat(r.exec("MULTI")).isEqualTo("OK");
    assertThat(r.exec("SET", "a", "1")).isEqualTo("QUEUED");
    assertThat(r.exec("INCR", "a")).isEqualTo("QUEUED");
    assertThat(r.exec("GET", "a")).isEqualTo("QUEUED");
    assertThat(other.exec("GET", "a")).isNull();
    assertThat(r.exec("EXEC")).isEqualTo(List.of("OK", 2L, "2"));
    assertThat(r.exec("EXEC")).isEqualTo(new Err("ERR EXEC without MULTI"));
  }

  @Test
  void emptyTransaction() {
    r.exec("MULTI");
    assertThat(r.exec("EXEC")).isEqualTo(List.of());
  }

  @Test
  void runtimeErrorsDoNotAbort() {
    r.exec("SET", "s", "abc");
    r.exec("MULTI");
    r.exec("INCR", "s");
    r.exec("SET", "b", "2");
    assertThat(r.exec("EXEC")).isEqualTo(List.of(new Err("ERR value is not an integer or out of range"), "OK"));
    assertThat(r.exec("GET", "b")).isEqualTo("2");
  }

  @Test
  void queueingErrorsAbort() {
    r.exec("MULTI");
    r.exec("SET", "a", "1");
    assertThat(r.exec("NOSUCHCOMMAND", "x")).isEqualTo(
        new Err("ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'x' "));
    assertThat(r.exec("EXEC")).isEqualTo(EXECABORT);
    assertThat(r.exec("EXISTS", "a")).isEqualTo(0L);

    r.exec("MULTI");
    assertThat(r.exec("GET")).isEqualTo(new Err("ERR wrong number of arguments for 'get' command"));
    r.exec("SET", "a", "1");
    assertThat(r.exec("EXEC")).isEqualTo(EXECABORT);
    assertThat(r.exec("EXISTS", "a")).isEqualTo(0L);
  }

  @Test
  void noMultiCommandsAreRejected() {
    r.exec("MULTI");
    assertThat(r.exec("SHUTDOWN")).isEqualTo(new Err("ERR Command not allowed inside a transaction"));
    assertThat(r.exec("EXEC")).isEqualTo(EXECABORT);
  }

  @Test
  void nestingAndMisuse() {
    assertThat(r.exec("DISCARD")).isEqualTo(new Err("ERR DISCARD without MULTI"));
    r.exec("MULTI");
    assertThat(r.exec("MULTI")).isEqualTo(new Err("ERR MULTI calls can not be nested"));
    assertThat(r.exec("WATCH", "x")).isEqualTo(new Err("ERR WATCH inside MULTI is not allowed"));
    r.exec("SET", "a", "1");
    // Neither error flags the transaction (as in Redis).
    assertThat(r.exec("EXEC")).isEqualTo(List.of("OK"));
  }

  @Test
  void discard() {
    r.exec("SET", "a", "1");
    r.exec("MULTI");
    r.exec("SET", "a", "2");
    assertThat(r.exec("DISCARD")).isEqualTo("OK");
    assertThat(r.exec("GET", "a")).isEqualTo("1");
    assertThat(r.exec("EXEC")).isEqualTo(new Err("ERR EXEC without MULTI"));
  }

  @Test
  void watchedKeyModifiedByAnotherClient() {
    r.exec("SET", "x", "30");
    assertThat(r.exec("WATCH", "x")).isEqualTo("OK");
    other.exec("INCR", "x");
    r.exec("MULTI");
    r.exec("SET", "x", "0");
    assertThat(r.exec("EXEC")).isNull();
    assertThat(r.exec("GET", "x")).isEqualTo("31");
  }

  @Test
  void watchedKeyNotModified() {
    r.exec("SET", "x", "30");
    r.exec("WATCH", "x", "y", "z");
    r.exec("WATCH", "k");
    other.exec("SET", "unrelated", "1");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void oneOfFiveWatchedKeysModified() {
    r.exec("MSET", "a", "1", "b", "2", "c", "3");
    r.exec("WATCH", "a", "b", "c", "d", "e");
    other.exec("SET", "d", "new"); // a missing watched key that appears counts too
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void afterExecKeysAreNoLongerWatched() {
    r.exec("SET", "x", "1");
    r.exec("WATCH", "x");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
    other.exec("SET", "x", "2");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
    assertThat(r.keyspace().watchCount()).isZero();
  }

  @Test
  void unwatchForgets() {
    r.exec("SET", "x", "1");
    r.exec("WATCH", "x");
    other.exec("SET", "x", "2");
    assertThat(r.exec("UNWATCH")).isEqualTo("OK");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void failedExecUnwatchesToo() {
    r.exec("SET", "x", "1");
    r.exec("WATCH", "x");
    other.exec("SET", "x", "2");
    r.exec("MULTI");
    assertThat(r.exec("EXEC")).isNull();
    other.exec("SET", "x", "3");
    r.exec("MULTI");
    assertThat(r.exec("EXEC")).isEqualTo(List.of());
  }

  @Test
  void ownModificationBeforeMultiCounts() {
    r.exec("SET", "x", "1");
    r.exec("WATCH", "x");
    r.exec("SET", "x", "2");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void noOpWritesDoNotTouch() {
    r.exec("SET", "x", "1");
    r.exec("WATCH", "x", "missing");
    other.exec("SET", "x", "2", "NX");
    other.exec("DEL", "missing");
    other.exec("PERSIST", "x");
    other.exec("EXPIRE", "missing", "10");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void expireOfWatchedKeyCounts() {
    r.exec("SET", "x", "1");
    r.exec("WATCH", "x");
    other.exec("EXPIRE", "x", "100");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void watchedKeyThatExpiresFailsExec() {
    r.exec("SET", "x", "1", "PX", "100");
    r.exec("WATCH", "x");
    r.advance(200); // expired, but nothing deleted it yet
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void watchedKeyExpiredLazilyFailsExec() {
    r.exec("SET", "x", "1", "PX", "100");
    r.exec("WATCH", "x");
    r.advance(200);
    assertThat(other.exec("GET", "x")).isNull(); // deletes it
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void watchedKeyExpiredActivelyFailsExec() {
    r.exec("SET", "x", "1", "PX", "100");
    r.exec("WATCH", "x");
    r.advance(200);
    r.keyspace().activeExpireCycle(r.nowMs(), 1000);
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void watchingStaleKeyDoesNotFailExec() {
    r.keyspace().setActiveExpireEnabled(false);
    r.exec("SET", "x", "1", "PX", "100");
    r.advance(200);
    r.exec("WATCH", "x"); // already expired: stale
    other.exec("GET", "x"); // lazily deletes it: no logical change
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void flushdbTouchesExistingWatchedKeys() {
    r.exec("SET", "x", "1");
    r.exec("WATCH", "x");
    other.exec("FLUSHDB");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();

    r.exec("WATCH", "missing");
    other.exec("FLUSHALL");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void flushallTouchesOtherDatabases() {
    r.exec("SELECT", "3");
    r.exec("SET", "x", "1");
    r.exec("WATCH", "x");
    other.exec("FLUSHALL");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void watchRemembersTheDatabase() {
    r.exec("SELECT", "1");
    r.exec("WATCH", "x");
    other.exec("SET", "x", "db0"); // another database: no change
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
    r.exec("WATCH", "x");
    r.exec("SELECT", "0");
    other.exec("SELECT", "1");
    other.exec("SET", "x", "db1");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void swapdbTouchesWatchedKeys() {
    r.exec("SELECT", "1");
    r.exec("SET", "x", "1");
    r.exec("SELECT", "0");
    r.exec("WATCH", "x"); // missing in db 0, present in db 1
    other.exec("SWAPDB", "0", "1");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();

    r.exec("WATCH", "nowhere");
    other.exec("SWAPDB", "0", "1");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void swapdbDoesNotTouchWatchedStaleKeys() {
    r.keyspace().setActiveExpireEnabled(false);
    r.exec("SET", "x", "1", "PX", "10");
    r.advance(20);
    r.exec("WATCH", "x");
    other.exec("SWAPDB", "0", "1");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void swapdbDoesNotTouchMissingKeyReplacedWithStaleKey() {
    r.keyspace().setActiveExpireEnabled(false);
    r.exec("SELECT", "1");
    r.exec("SET", "x", "1", "PX", "10");
    r.exec("SELECT", "0");
    r.advance(20);
    r.exec("WATCH", "x"); // missing in db 0; db 1 holds an expired x
    other.exec("SWAPDB", "0", "1");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void swapdbDoesNotTouchStaleKeyReplacedWithAnotherStaleKey() {
    r.keyspace().setActiveExpireEnabled(false);
    r.exec("SET", "x", "1", "PX", "10");
    r.exec("SELECT", "1");
    r.exec("SET", "x", "2", "PX", "10");
    r.exec("SELECT", "0");
    r.advance(20);
    r.exec("WATCH", "x");
    other.exec("SWAPDB", "0", "1");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void swapdbTouchesStaleKeyReplacedWithLiveKey() {
    r.keyspace().setActiveExpireEnabled(false);
    r.exec("SET", "x", "1", "PX", "10");
    r.exec("SELECT", "1");
    r.exec("SET", "x", "2");
    r.exec("SELECT", "0");
    r.advance(20);
    r.exec("WATCH", "x");
    other.exec("SWAPDB", "0", "1");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isNull();
  }

  @Test
  void flushdbWhileWatchingStaleKeyDoesNotFailExec() {
    r.keyspace().setActiveExpireEnabled(false);
    r.exec("SET", "x", "1", "PX", "10");
    r.advance(20);
    r.exec("WATCH", "x");
    other.exec("FLUSHDB");
    r.exec("MULTI");
    r.exec("PING");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("PONG"));
  }

  @Test
  void resetAndQuitDiscardTheTransaction() {
    r.exec("SET", "x", "1");
    r.exec("WATCH", "x");
    r.exec("MULTI");
    r.exec("SET", "x", "2");
    assertThat(r.exec("RESET")).isEqualTo("RESET");
    assertThat(r.keyspace().watchCount()).isZero();
    assertThat(r.exec("EXEC")).isEqualTo(new Err("ERR EXEC without MULTI"));
    assertThat(r.exec("GET", "x")).isEqualTo("1");

    other.exec("WATCH", "x");
    other.exec("MULTI");
    other.exec("SET", "x", "3");
    assertThat(other.exec("QUIT")).isEqualTo("OK");
    assertThat(r.keyspace().watchCount()).isZero();
    assertThat(other.session().transaction().active()).isFalse();
  }

  @Test
  void selectInsideTransactionApplies() {
    r.exec("MULTI");
    r.exec("SELECT", "2");
    r.exec("SET", "k", "v");
    assertThat(r.exec("EXEC")).isEqualTo(List.of("OK", "OK"));
    assertThat(r.exec("GET", "k")).isEqualTo("v");
    assertThat(other.exec("GET", "k")).isNull();
  }

  @Test
  void execReplyUsesTheQueuedCommandsErrorsInPlace() {
    r.exec("MULTI");
    r.exec("SET", "a", "1", "EX", "0");
    r.exec("MSET", "a", "1", "b");
    r.exec("GET", "a");
    assertThat(r.exec("EXEC")).isEqualTo(Arrays.asList(new Err("ERR invalid expire time in 'set' command"),
        new Err("ERR wrong number of arguments for 'mset' command"), null));
  }

  @Test
  void departedWatchersArePurged() throws InterruptedException {
    java.lang.ref.WeakReference<Object> departed = watchFromAClientThatLeaves(1500);
    for (int round = 0; round < 50 && departed.get() != null; round++) {
      System.gc();
      Thread.sleep(10);
    }
    // GC is outside our control: if the JVM kept the session, there is nothing to check.
    org.junit.jupiter.api.Assumptions.assumeTrue(departed.get() == null, "the departed session was not collected");
    for (int i = 0; i < 600; i++) {
      r.exec("WATCH", "mine" + i);
    }
    // The purge ran at 2048 registered watches and dropped the departed client's 1500.
    assertThat(r.keyspace().watchCount()).isLessThan(1000);
    r.exec("UNWATCH");
    assertThat(r.keyspace().watchCount()).isZero();
  }

  @Test
  void liveWatchersAreNeverPurged() {
    CommandHarness keeper = r.otherClient();
    keeper.exec("SET", "guarded", "1");
    keeper.exec("WATCH", "guarded");
    for (int i = 0; i < 3000; i++) {
      r.exec("WATCH", "k" + i);
    }
    System.gc();
    for (int i = 0; i < 3000; i++) {
      r.exec("WATCH", "j" + i);
    }
    r.exec("SET", "guarded", "2");
    keeper.exec("MULTI");
    keeper.exec("PING");
    assertThat(keeper.exec("EXEC")).isNull();
  }

  /** A client watches {@code n} keys and disconnects without UNWATCH; nothing refers to it afterwards. */
  private java.lang.ref.WeakReference<Object> watchFromAClientThatLeaves(int n) {
    CommandHarness ghost = r.otherClient();
    for (int i = 0; i < n; i++) {
      ghost.exec("WATCH", "k" + i);
    }
    r.hooks().clients().remove(ghost.session());
    r.exec("PING"); // the shared context now refers to r's session, not the ghost's
    return new java.lang.ref.WeakReference<>(ghost.session());
  }
}
