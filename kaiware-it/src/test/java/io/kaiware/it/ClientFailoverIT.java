package io.kaiware.it;

import java.util.Map;

/**
 * {@link ClientFollowingTests} on an in-process three-member group: the leader is stopped (its
 * client connections close, then its Raft server). Default run, about 70 s for all the clients.
 */
class ClientFailoverIT extends ClientFollowingTests {

  @Override
  MemberGroup group(Map<String, String> settings) throws Exception {
    return MemberGroup.inProcess(3, settings);
  }
}
