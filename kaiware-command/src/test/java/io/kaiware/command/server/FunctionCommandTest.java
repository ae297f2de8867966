package io.kaiware.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaiware.command.CommandHarness;
import io.kaiware.command.CommandHarness.Err;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FUNCTION on a server without a scripting engine: the library registry is empty and stays so. */
class FunctionCommandTest {

  private final CommandHarness r = new CommandHarness();

  @Test
  void flushListAndStatsAnswerForAnEmptyRegistry() {
    assertThat(r.exec("FUNCTION", "FLUSH")).isEqualTo("OK");
    assertThat(r.exec("FUNCTION", "FLUSH", "async")).isEqualTo("OK");
    assertThat(r.exec("FUNCTION", "FLUSH", "LAZY")).isEqualTo(new Err("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"));
    assertThat(r.exec("FUNCTION", "LIST")).isEqualTo(List.of());
    assertThat(r.exec("FUNCTION", "LIST", "LIBRARYNAME", "lib*", "WITHCODE")).isEqualTo(List.of());
    assertThat(r.exec("FUNCTION", "LIST", "BOGUS")).isEqualTo(new Err("ERR Unknown argument BOGUS"));
    assertThat(r.exec("FUNCTION", "DELETE", "mylib")).isEqualTo(new Err("ERR Library not found"));
    assertThat(r.exec("FUNCTION", "KILL")).isEqualTo(new Err("NOTBUSY No scripts in execution right now."));
  }

  @Test
  void loadIsNotPretended() {
    assertThat(r.exec("FUNCTION", "LOAD", "#!lua name=mylib\nredis.register_function('f', function() return 1 end)"))
        .isEqualTo(new Err("ERR unknown subcommand 'LOAD'. Try FUNCTION HELP."));
  }
}
