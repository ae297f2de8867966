package io.kaiware.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BlockingPopsTests} against the default server: every pop goes through the Raft log. */
class BlockingPopsIT extends BlockingPopsTests {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension();

  @Override
  int port() {
    return server.port();
  }
}
