package io.kaiware.command.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kaiware.command.CommandHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admission checks a replication role brings, with Redis 7.0's texts and order
 * (server.c processCommand): NOREPLICAS (min-replicas-to-write), READONLY (a read-only replica),
 * MASTERDOWN (a replica whose link is down, with replica-serve-stale-data no); EXEC judged by what
 * it would run. And REPLICAOF's own replies.
 */
class ReplicaRoleTest {

  private final CommandHarness r = new CommandHarness();

  @Test
  void aReadOnlyReplicaRefusesWritesAndServesReads() {
    r.exec("set", "k", "v");
    assertEquals("OK", r.exec("replicaof", "127.0.0.1", "6379"));
    assertEquals("OK Already connected to specified master", r.exec("replicaof", "127.0.0.1", "6379"));
    assertEquals("-READONLY You can't write against a read only replica.", r.exec("set", "k", "w").toString());
    assertEquals("v", r.exec("get", "k"));
    r.exec("multi");
    assertEquals("-READONLY You can't write against a read only replica.", r.exec("incr", "n").toString());
    assertEquals("-EXECABORT Transaction discarded because of previous errors.", r.exec("exec").toString());
    assertEquals(List.of("slave", "127.0.0.1", 6379L, "connect", -1L), r.exec("role"));

    assertEquals("-READONLY You can't write against a read only replica.",
        r.exec("eval", "return redis.call('set', KEYS[1], 'w')", "1", "k").toString(), "a script that may write");
    assertEquals("v", r.exec("eval_ro", "return redis.call('get', KEYS[1])", "1", "k"));
    assertEquals("v", r.exec("eval", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k"));

    r.exec("config", "set", "replica-read-only", "no");
    assertEquals("OK", r.exec("set", "k", "w"));
    r.exec("config", "set", "replica-read-only", "yes");
    assertEquals("OK", r.exec("replicaof", "no", "one"));
    assertEquals("OK", r.exec("set", "k", "x"));
    assertEquals("master", ((List<?>) r.exec("role")).get(0));
  }

  @Test
  void aReplicaWithItsLinkDownAndServeStaleDataNoAnswersMasterdown() {
    // Redis's multi.tcl "exec with read commands and stale replica state change", then more.
    CommandHarness other = r.otherClient();
    r.exec("config", "set", "replica-serve-stale-data", "no");
    r.exec("set", "xx", "1");
    String masterDown = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    r.exec("multi");
    r.exec("get", "xx");
    other.exec("replicaof", "localhsot", "0");
    assertEquals("-EXECABORT Transaction discarded because of: " + masterDown, r.exec("exec").toString());
    assertEquals("-" + masterDown, r.exec("get", "xx").toString());
    assertEquals("-" + masterDown, r.exec("ping").toString());
    assertEquals("OK", r.exec("config", "set", "replica-serve-stale-data", "no"), "CONFIG is flagged stale");
    other.exec("replicaof", "no", "one");

    r.exec("multi");
    r.exec("ping");
    other.exec("replicaof", "localhsot", "0");
    assertEquals("-EXECABORT Transaction discarded because of: " + masterDown, r.exec("exec").toString());

    r.exec("multi"); // MULTI is allowed on a stale replica
    other.exec("replicaof", "no", "one");
    r.exec("get", "xx");
    assertEquals(List.of("1"), r.exec("exec"));
  }

  @Test
  void minReplicasToWriteRefusesWritesWithoutEnoughGoodReplicas() {
    // Redis's multi.tcl "exec with write commands and state change", then more.
    CommandHarness other = r.otherClient();
    r.exec("set", "n", "1");
    r.exec("multi");
    r.exec("incr", "n");
    other.exec("config", "set", "min-replicas-to-write", "2");
    r.hooks().goodReplicas = 1;
    assertEquals("-EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to write.",
        r.exec("exec").toString());
    assertEquals("1", r.exec("get", "n"));
    assertEquals("-NOREPLICAS Not enough good replicas to write.", r.exec("incr", "n").toString());
    r.hooks().goodReplicas = 2;
    assertEquals(2L, r.exec("incr", "n"));
    r.exec("config", "set", "min-replicas-max-lag", "0"); // 0: the check is off
    r.hooks().goodReplicas = 0;
    assertEquals(3L, r.exec("incr", "n"));
  }

  @Test
  void replicaofValidatesItsPort() {
    assertEquals("-ERR Invalid master port", r.exec("replicaof", "localhost", "65536").toString());
    assertEquals("-ERR Invalid master port", r.exec("replicaof", "localhost", "x").toString());
    assertEquals("master", ((List<?>) r.exec("role")).get(0));
  }
}
