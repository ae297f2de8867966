package io.kaiware.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Profiling endpoints. async-profiler 4.6's bundled library loads on this linux-x64 machine and CPU
 * profiling works; where it cannot load or start, the endpoint must answer 503 with a JSON error
 * saying why, which the tests accept as the only other outcome.
 */
class ProfilingEndpointTest {

  static AdminHttpServer server;
  static AdminClient client;

  @BeforeAll
  static void start() throws Exception {
    server = AdminHttpServer.start("127.0.0.1", 0, "", new FakeSources());
    client = new AdminClient(server.port(), null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Keeps a CPU busy so a CPU profile has samples. */
  private static CompletableFuture<Void> burn(long millis) {
    return CompletableFuture.runAsync(() -> {
      long end = System.nanoTime() + millis * 1_000_000;
      double x = 0;
      while (System.nanoTime() < end) {
        x += Math.sqrt(x + 1);
      }
      if (x == 42) {
        System.out.println(x);
      }
    });
  }

  private static boolean profilerUnavailable(HttpResponse<?> r, String body) {
    if (r.statusCode() == 503) {
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(body).startsWith("{\"error\": \"profiler unavailable: async-profiler could not ");
      return true;
    }
    return false;
  }

  @Test
  void cpuFlameGraph() throws Exception {
    CompletableFuture<Void> busy = burn(1500);
    HttpResponse<String> r = client.get("/debug/profile?seconds=1&event=cpu&format=flamegraph");
    busy.join();
    if (profilerUnavailable(r, r.body())) {
      return;
    }
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    // cpu, or itimer after a documented fallback (the note header then says why)
    String event = r.headers().firstValue(AdminHttpServer.PROFILER_EVENT_HEADER).orElseThrow();
    assertThat(event).isIn("cpu", "itimer");
    if (event.equals("itimer")) {
      assertThat(r.headers().firstValue(AdminHttpServer.PROFILER_NOTE_HEADER)).isPresent();
    }
    assertThat(r.body()).startsWith("<!DOCTYPE html>").contains("ProfilingEndpointTest");
  }

  @Test
  void allocationProfileAsCollapsedStacks() throws Exception {
    CompletableFuture<Void> allocating = CompletableFuture.runAsync(() -> {
      long end = System.nanoTime() + 1_200_000_000L;
      long sum = 0;
      while (System.nanoTime() < end) {
        sum += new byte[4096].length;
      }
      if (sum == 42) {
        System.out.println(sum);
      }
    });
    HttpResponse<String> r = client.get("/debug/profile?seconds=1&event=alloc&format=collapsed");
    allocating.join();
    if (profilerUnavailable(r, r.body())) {
      return;
    }
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue(AdminHttpServer.PROFILER_EVENT_HEADER)).hasValue("alloc");
    // one "frame;frame;frame count" line per stack; the byte[] allocations above are sampled
    assertThat(r.body()).containsPattern("(?m);byte\\[\\]?_?\\[[ik]\\] \\d+$|(?m)\\[B.* \\d+$|(?m)byte\\[\\].* \\d+$");
  }

  @Test
  void onlyOneProfileAtATime() throws Exception {
    CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
      try {
        return client.get("/debug/profile?seconds=3&event=wall&format=collapsed");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(700);
    HttpResponse<String> second = client.get("/debug/jfr?seconds=1");
    HttpResponse<String> firstResponse = first.join();
    if (firstResponse.statusCode() == 503) {
      assertThat(firstResponse.body()).contains("profiler unavailable");
      return;
    }
    assertThat(firstResponse.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.body()).contains("another profile or JFR recording is running");
  }

  @Test
  void jfrRecordingStartsWithTheJfrMagic() throws Exception {
    HttpResponse<byte[]> r = client.bytes("/debug/jfr?seconds=1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).endsWith(".jfr\""));
    byte[] body = r.body();
    assertThat(body.length).isGreaterThan(1000);
    assertThat(Arrays.copyOf(body, 4)).isEqualTo("FLR\0".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void asyncProfilerJfrOutput() throws Exception {
    HttpResponse<byte[]> r = client.bytes("/debug/profile?seconds=1&event=cpu&format=jfr");
    if (profilerUnavailable(r, new String(r.body(), StandardCharsets.UTF_8))) {
      return;
    }
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Arrays.copyOf(r.body(), 4)).isEqualTo("FLR\0".getBytes(StandardCharsets.US_ASCII));
  }
}
