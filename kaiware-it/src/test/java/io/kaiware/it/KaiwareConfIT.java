package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.config.ConfigFile;
import io.kaiware.command.config.ConfigParam;
import io.kaiware.command.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shipped kaiware.conf documents every key with its default, and nothing else. */
class KaiwareConfIT {

  private static final Path CONF = Path.of("..", "kaiware.conf");
  private static final Set<String> DURABILITY_FACTS = Set.of("appendonly", "appendfsync");

  @Test
  void everyKeyIsDocumentedWithItsDefault() throws Exception {
    ServerConfig fromFile = ServerConfig.defaults();
    ConfigFile.load(CONF, fromFile);
    ServerConfig defaults = ServerConfig.defaults();
    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(CONF)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        documented.add(line.split("\\s+")[0]);
      }
    }
    Set<String> declared = new TreeSet<>();
    for (ConfigParam p : defaults.all()) {
      if (DURABILITY_FACTS.contains(p.name())) {
        continue; // they follow non-durable-cache; the file explains them in a comment
      }
      declared.add(p.name());
      assertThat(fromFile.get(p.name())).as("default of %s in kaiware.conf", p.name()).isEqualTo(p.defaultValue());
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(declared);
    for (String fact : DURABILITY_FACTS) {
      assertThat(Files.readString(CONF)).contains("# " + fact);
    }
  }
}
