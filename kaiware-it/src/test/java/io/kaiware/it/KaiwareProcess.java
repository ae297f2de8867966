package io.kaiware.it;

import io.kaiware.command.config.ServerConfig;
import io.kaiware.server.KaiwareServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An in-process Kaiware server on a free loopback port, and helpers to reach it as clients do. */
final class KaiwareProcess implements AutoCloseable {

  final KaiwareServer server;
  /** The data dir created for this server (deleted at close), or null when the settings chose one. */
  private final Path ownDir;

  private KaiwareProcess(KaiwareServer server, Path ownDir) {
    this.server = server;
    this.ownDir = ownDir;
  }

  /** A server with {@code settings}; a durable one-member Raft group in a fresh temp dir unless they say otherwise. */
  static KaiwareProcess start(Map<String, String> settings) throws Exception {
    ServerConfig config = ServerConfig.defaults();
    config.setAtStartup("bind", "127.0.0.1");
    config.setAtStartup("port", "0");
    Path ownDir = null;
    if (!settings.containsKey("dir")) {
      ownDir = Files.createTempDirectory("kaiware-it-");
      config.setAtStartup("dir", ownDir.toString());
    }
    settings.forEach(config::setAtStartup);
    try {
      return new KaiwareProcess(KaiwareServer.start(config, null), ownDir);
    } catch (Exception | Error e) {
      deleteTree(ownDir);
      throw e;
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    deleteTree(ownDir);
  }

  /** Sends raw bytes and reads until the server closes the connection or {@code timeoutMs} passes. */
  String raw(String request, int timeoutMs) throws IOException {
    return raw(request, timeoutMs, false);
  }

  /**
   * Sends {@code request} and returns what the server sends until it closes (or {@code timeoutMs}
   * passes without a byte). With {@code halfClose} the client shuts its sending side right after
   * the request, as {@code printf ... | nc -q1} does.
   */
  String raw(String request, int timeoutMs, boolean halfClose) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout(timeoutMs);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          received.write(buf, 0, n);
        }
      } catch (java.net.SocketTimeoutException e) {
        // no close from the server: return what arrived
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** Runs a redis-tools program (redis-cli, redis-benchmark) and returns {exitCode, output}. */
  static Object[] run(long timeoutS, String... command) throws Exception {
    requireTool(command[0]);
    Path output = Files.createTempFile("kaiware-it-", ".out");
    try {
      // Output goes to a file so that waitFor's timeout bounds the run even if the tool never exits
      // (redis-benchmark retries forever when it loses its server).
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(timeoutS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutS + " s; output: "
            + Files.readString(output));
      }
      return new Object[] {process.exitValue(), Files.readString(output)};
    } finally {
      Files.deleteIfExists(output);
    }
  }

  static void requireTool(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (new java.io.File(dir, tool).canExecute()) {
        return;
      }
    }
    throw new AssertionError(tool + " is not installed. Run the tests with `bin/kaiware test`, which installs "
        + "Debian's redis-tools, or `apt-get install -y redis-tools`.");
  }

  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
