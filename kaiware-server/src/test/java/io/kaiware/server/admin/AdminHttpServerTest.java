package io.kaiware.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Token enforcement, bind safety, health, readiness, threads and request errors. */
class AdminHttpServerTest {

  @Test
  void everyEndpointButHealthNeedsTheToken() throws Exception {
    try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, "s3cret-token", new FakeSources())) {
      AdminClient anonymous = new AdminClient(server.port(), null);
      AdminClient wrong = new AdminClient(server.port(), "s3cret-tokem");
      AdminClient shorter = new AdminClient(server.port(), "s3cret");
      AdminClient right = new AdminClient(server.port(), "s3cret-token");

      for (String path : new String[] {"/metrics", "/ready", "/debug/threads", "/debug/heap", "/debug/profile", "/nope"}) {
        HttpResponse<String> r = anonymous.get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer realm=\"kaiware-admin\"");
        assertThat(r.body()).as(path).startsWith("{\"error\": ");
        assertThat(wrong.get(path).statusCode()).as(path).isEqualTo(401);
        assertThat(shorter.get(path).statusCode()).as(path).isEqualTo(401);
      }
      assertThat(anonymous.get("/health").statusCode()).isEqualTo(200);
      assertThat(right.get("/metrics").statusCode()).isEqualTo(200);
      assertThat(right.get("/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void refusesANonLoopbackBindWithoutAToken() {
    assertThatThrownBy(() -> AdminHttpServer.start("0.0.0.0", 0, "", new FakeSources()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("admin-bind 0.0.0.0 is not a loopback address")
        .hasMessageContaining("admin-token");
    assertThatThrownBy(() -> AdminHttpServer.start("0.0.0.0", 0, null, new FakeSources()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void healthAndReadiness() throws Exception {
    FakeSources sources = new FakeSources();
    try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, "", sources)) {
      AdminClient client = new AdminClient(server.port(), null);
      HttpResponse<String> health = client.get("/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("OK\n");

      assertThat(client.get("/ready").statusCode()).isEqualTo(200);
      sources.ready = false;
      HttpResponse<String> notReady = client.get("/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).isEqualTo("NOT READY: not ready\n");
      assertThat(client.get("/metrics").body()).contains("kaiware_ready 0.0");
      assertThat(client.get("/health").statusCode()).as("health does not depend on readiness").isEqualTo(200);
    }
  }

  @Test
  void threadDumpListsLiveThreadsWithFullStacks() throws Exception {
    try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, "", new FakeSources())) {
      HttpResponse<String> r = new AdminClient(server.port(), null).get("/debug/threads");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"kaiware-admin-", "java.lang.Thread.State", "AdminHttpServer.threadDump",
          "Locked ownable synchronizers");
    }
  }

  @Test
  void badRequestsGetClearErrors() throws Exception {
    try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, "", new FakeSources())) {
      AdminClient client = new AdminClient(server.port(), null);
      HttpResponse<String> unknown = client.get("/nope");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("no such endpoint: /nope");

      HttpResponse<String> seconds = client.get("/debug/profile?seconds=abc");
      assertThat(seconds.statusCode()).isEqualTo(400);
      assertThat(seconds.body()).isEqualTo("{\"error\": \"seconds must be an integer, not abc\"}\n");

      HttpResponse<String> event = client.get("/debug/profile?seconds=1&event=bogus");
      assertThat(event.statusCode()).isEqualTo(400);
      assertThat(event.body()).contains("event must be one of cpu|alloc|lock|wall|itimer, not bogus");

      assertThat(client.get("/debug/profile?seconds=1&format=svg").body())
          .contains("format must be one of flamegraph|jfr|collapsed");
      assertThat(client.get("/debug/jfr?seconds=0").statusCode()).isEqualTo(400);
      assertThat(client.get("/debug/heap?diff=12345").statusCode()).isEqualTo(404);

      assertThat(client.get("/").body()).contains("/debug/heap?diff=ID");
    }
  }

  @Test
  void closeReleasesThePort() throws Exception {
    AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, "", new FakeSources());
    int port = server.port();
    server.close();
    try (AdminHttpServer again = AdminHttpServer.start("127.0.0.1", port, "", new FakeSources())) {
      assertThat(again.port()).isEqualTo(port);
    }
  }

  @Test
  void jsonEscaping() {
    assertThat(AdminHttpServer.jsonEscape("a\"b\\c\nd\u0001")).isEqualTo("a\\\"b\\\\c\\nd\\u0001");
  }
}
