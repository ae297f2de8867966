package io.kaiware.it;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process server for all the tests of a class, on a free loopback port:
 * {@code @RegisterExtension static final KaiwareServerExtension server = new KaiwareServerExtension();}
 * starts it before the first test and closes it after the last.
 */
final class KaiwareServerExtension implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> settings;
  private KaiwareProcess process;

  KaiwareServerExtension() {
    this(Map.of());
  }

  /** With configuration keys applied at startup, as {@link KaiwareProcess#start} takes them. */
  KaiwareServerExtension(Map<String, String> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    process = KaiwareProcess.start(settings);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (process != null) {
      process.close();
      process = null;
    }
  }

  int port() {
    return process.port();
  }

  KaiwareProcess process() {
    return process;
  }
}
