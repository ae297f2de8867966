package io.kaiware.command;

import io.kaiware.engine.Keyspace;
import io.kaiware.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Nanoseconds per command through {@link Dispatcher#execute}, without the network: what the engine
 * thread spends on SET, GET and INCR of one hot key (redis-benchmark's shape at -P 16, where the
 * engine's share of each request decides how much the event loop can take). Not a test; run it by
 * hand, with the server's JVM options, before and after a change on the command path:
 *
 * <pre>
 * ./mvnw -q -B -o -pl kaiware-command -am test-compile
 * $JAVA_HOME/bin/java -XX:+UseZGC -Xms1g -XX:+UseCompactObjectHeaders \
 *     -cp "kaiware-command/target/classes:kaiware-command/target/test-classes:$(cat /tmp/cp.txt)" \
 *     io.kaiware.command.DispatcherSpeedBenchmark
 * </pre>
 *
 * ({@code ./mvnw -q -o -pl kaiware-command dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt}
 * writes the classpath.) Prints per round and command the mean time and the bytes the engine thread
 * allocated per command (what the collector must later reclaim); the first rounds warm the JIT.
 */
public final class DispatcherSpeedBenchmark {
  private DispatcherSpeedBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    Keyspace keyspace = new Keyspace();
    CommandTable table = StandardCommands.table();
    Dispatcher dispatcher = new Dispatcher(table, new CommandContext(keyspace, new CommandHarness.FakeHooks(), table));
    ClientSession session = new ClientSession("127.0.0.1:1", "127.0.0.1:6379", 0, true);
    ByteBuf buf = Unpooled.directBuffer(1 << 16);
    RespWriter writer = new RespWriter(buf, 2);
    byte[][][] commands = {
        CommandHarness.argv("SET", "key:000000000001", "xxx"),
        CommandHarness.argv("GET", "key:000000000001"),
        CommandHarness.argv("INCR", "counter:000000000001"),
    };
    long now = 1_700_000_000_000L;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    for (int round = 1; round <= rounds; round++) {
      StringBuilder line = new StringBuilder("round " + round + ":");
      for (byte[][] command : commands) {
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          if (buf.writerIndex() > (1 << 15)) {
            buf.clear();
          }
          dispatcher.execute(session, command, writer, now);
        }
        long ns = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        line.append(String.format(" %s %.1f ns %.0f B", new String(command[0], StandardCharsets.US_ASCII),
            (double) ns / n, (double) allocated / n));
      }
      System.out.println(line);
    }
  }
}
