package io.kaiware.it;

import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StreamsClientsTests} in non-durable cache mode: commands, and blocked reads' re-runs, run directly on the engine. */
class StreamsCacheIT extends StreamsClientsTests {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension(Map.of("non-durable-cache", "yes"));

  @Override
  int port() {
    return server.port();
  }
}
