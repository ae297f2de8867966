package io.kaiware.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapHistogramsTest {

  /** Only this test allocates it, so a diff can name it. */
  static final class LeakDrillEntry {
    final long id;
    final long createdNs;

    LeakDrillEntry(long id) {
      this.id = id;
      this.createdNs = System.nanoTime();
    }
  }

  /** What a leak looks like: a long-lived collection that only grows. */
  static final List<LeakDrillEntry> LEAK = new ArrayList<>();

  @Test
  void leakDrillDiffNamesTheLeakingClassFirst() throws Exception {
    try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, "", new FakeSources())) {
      AdminClient client = new AdminClient(server.port(), null);
      HttpResponse<String> first = client.get("/debug/heap?top=20");
      assertThat(first.statusCode()).isEqualTo(200);
      String id = first.headers().firstValue(AdminHttpServer.HEAP_ID_HEADER).orElseThrow();
      assertThat(first.body()).startsWith("# kaiware heap histogram id=" + id + " ")
          .contains("/debug/heap?diff=" + id, "java.lang.String");

      for (int i = 0; i < 200_000; i++) {
        LEAK.add(new LeakDrillEntry(i));
      }

      HttpResponse<String> diff = client.get("/debug/heap?diff=" + id + "&top=5");
      assertThat(diff.statusCode()).isEqualTo(200);
      List<String> rows = diff.body().lines().filter(l -> !l.startsWith("#")).toList();
      // rows.get(0) is the column header
      assertThat(rows.get(0)).contains("d_instances", "d_bytes", "class");
      assertThat(rows.get(1)).endsWith(LeakDrillEntry.class.getName())
          .contains("+200000");

      HttpResponse<String> byInstances = client.get("/debug/heap?diff=" + id + "&sort=instances&top=3");
      assertThat(byInstances.body()).contains("sorted by instances growth");
      assertThat(byInstances.body().lines().filter(l -> !l.startsWith("#")).toList().get(1))
          .endsWith(LeakDrillEntry.class.getName());
    } finally {
      LEAK.clear();
    }
  }

  @Test
  void parsesTheDiagnosticCommandOutput() {
    String text = """
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:         22175        1332224  [B (java.base@25.0.3)
           2:          4054         522040  java.lang.Class (java.base@25.0.3)
           3:            10            240  io.kaiware.Foo$$Lambda/0x000001f00
        Total         26239        1854504
        """;
    List<HeapHistograms.ClassUsage> classes = HeapHistograms.parse(text);
    assertThat(classes).containsExactly(
        new HeapHistograms.ClassUsage("[B", 22175, 1332224),
        new HeapHistograms.ClassUsage("java.lang.Class", 4054, 522040),
        new HeapHistograms.ClassUsage("io.kaiware.Foo$$Lambda/0x000001f00", 10, 240));
  }

  @Test
  void diffOrdersByGrowthAndKeepsShrinkingAndVanishedClasses() {
    HeapHistograms h = new HeapHistograms();
    HeapHistograms.Histogram before = h.keep(List.of(
        new HeapHistograms.ClassUsage("A", 10, 100),
        new HeapHistograms.ClassUsage("B", 5, 50),
        new HeapHistograms.ClassUsage("Gone", 1, 16)));
    HeapHistograms.Histogram after = h.keep(List.of(
        new HeapHistograms.ClassUsage("A", 11, 110),
        new HeapHistograms.ClassUsage("B", 1005, 50_050),
        new HeapHistograms.ClassUsage("New", 3, 72)));
    List<HeapHistograms.Growth> diff = HeapHistograms.diff(before, after, false);
    assertThat(diff).extracting(HeapHistograms.Growth::className).containsExactly("B", "New", "A", "Gone");
    assertThat(diff.get(0).bytes()).isEqualTo(50_000);
    assertThat(diff.get(3).instances()).isEqualTo(-1);
  }

  @Test
  void keepsOnlyTheLastHistograms() {
    HeapHistograms h = new HeapHistograms();
    for (int i = 0; i < HeapHistograms.KEPT + 3; i++) {
      h.keep(List.of());
    }
    assertThat(h.ids()).hasSize(HeapHistograms.KEPT).startsWith(4);
    assertThat(h.get(1)).isNull();
  }

  @Test
  void heapDumpStreamsAnHprofFile() throws Exception {
    try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, "", new FakeSources())) {
      HttpResponse<InputStream> r = new AdminClient(server.port(), null).stream("/debug/heapdump");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).endsWith(".hprof\""));
      long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      assertThat(length).isGreaterThan(1_000_000);
      try (InputStream in = r.body()) {
        byte[] magic = in.readNBytes(18);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("JAVA PROFILE 1.0.2");
        assertThat(18 + in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(length);
      }
    }
  }
}
