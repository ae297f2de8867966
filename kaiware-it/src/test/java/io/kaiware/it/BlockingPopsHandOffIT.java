package io.kaiware.it;

import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link BlockingPopsTests} in non-durable cache mode with io-threads 2: I/O threads hand requests
 * to the engine thread, which parks and wakes the clients.
 */
class BlockingPopsHandOffIT extends BlockingPopsTests {

  @RegisterExtension
  static final KaiwareServerExtension server =
      new KaiwareServerExtension(Map.of("non-durable-cache", "yes", "io-threads", "2"));

  @Override
  int port() {
    return server.port();
  }
}
