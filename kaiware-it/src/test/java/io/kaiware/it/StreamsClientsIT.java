package io.kaiware.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StreamsClientsTests} against the default server: writes and blocked reads go through the Raft log. */
class StreamsClientsIT extends StreamsClientsTests {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension();

  @Override
  int port() {
    return server.port();
  }
}
