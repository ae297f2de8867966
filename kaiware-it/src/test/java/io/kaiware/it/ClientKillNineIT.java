package io.kaiware.it;

import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * {@link ClientFollowingTests} on three member JVMs: the leader is SIGKILLed, as in a crash. Slow
 * (process starts): {@code -Pslow} only.
 */
@Tag("slow")
class ClientKillNineIT extends ClientFollowingTests {

  @Override
  MemberGroup group(Map<String, String> settings) throws Exception {
    return ProcessCluster.start(3, settings);
  }
}
