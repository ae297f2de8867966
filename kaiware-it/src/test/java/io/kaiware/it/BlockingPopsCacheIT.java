package io.kaiware.it;

import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BlockingPopsTests} in non-durable cache mode: pops run directly on the engine. */
class BlockingPopsCacheIT extends BlockingPopsTests {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension(Map.of("non-durable-cache", "yes"));

  @Override
  int port() {
    return server.port();
  }
}
