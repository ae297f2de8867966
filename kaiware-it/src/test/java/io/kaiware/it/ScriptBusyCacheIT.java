package io.kaiware.it;

import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ScriptBusyTests} in non-durable cache mode: scripts run from a task of the engine loop, no log. */
class ScriptBusyCacheIT extends ScriptBusyTests {

  @RegisterExtension
  static final KaiwareServerExtension server = new KaiwareServerExtension(Map.of("non-durable-cache", "yes"));

  @Override
  int port() {
    return server.port();
  }
}
