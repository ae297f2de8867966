package io.kaiware.server.admin;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP port: Prometheus metrics, health and readiness, and the debugging endpoints an
 * operator needs to find a leak or a stall in a running server (incident 3) without restarting it.
 *
 * <pre>
 * GET /health                       200 "OK" while the process serves (never needs the token)
 * GET /ready                        200 "READY" when AdminSources.notReadyReason() is null, else 503 "NOT READY: why"
 * GET /metrics                      Prometheus text format
 * GET /debug/heap[?top=N]           class histogram of live objects, with an id
 * GET /debug/heap?diff=ID[&amp;sort=bytes|instances][&amp;top=N]   growth since histogram ID
 * GET /debug/heapdump[?live=false]  an .hprof heap dump (streamed, then deleted)
 * GET /debug/threads                a thread dump (jstack format)
 * GET /debug/profile?seconds=30&amp;event=cpu|alloc|lock|wall|itimer&amp;format=flamegraph|jfr|collapsed
 * GET /debug/jfr?seconds=60         a JDK Flight Recorder file
 * </pre>
 *
 * <p>Runs on the JDK's {@code com.sun.net.httpserver} with {@link #THREADS} daemon threads, so a
 * long profile does not block a scrape and the admin port never competes with the Redis port for
 * Netty's event loops. When a token is set every endpoint but {@code /health} needs
 * {@code Authorization: Bearer <token>}, compared in constant time; a non-loopback bind address
 * without a token is refused at start. Errors are JSON: {@code {"error": "..."}}.
 */
public final class AdminHttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);

  /** Request threads: enough for a scrape, a running profile and a heap request at once. */
  static final int THREADS = 4;

  /** Default and largest {@code top} for heap histograms and diffs. */
  static final int DEFAULT_TOP = 50;
  static final int MAX_TOP = 100_000;

  /** Default seconds for /debug/profile and /debug/jfr. */
  static final int DEFAULT_PROFILE_SECONDS = 30;
  static final int DEFAULT_JFR_SECONDS = 60;

  /** Response header naming the event actually profiled (differs after an itimer fallback). */
  public static final String PROFILER_EVENT_HEADER = "X-Kaiware-Profiler-Event";
  /** Response header explaining a fallback, absent otherwise. */
  public static final String PROFILER_NOTE_HEADER = "X-Kaiware-Profiler-Note";
  /** Response header with the id of the histogram just taken by /debug/heap. */
  public static final String HEAP_ID_HEADER = "X-Kaiware-Heap-Id";

  private final HttpServer http;
  private final ExecutorService executor;
  private final byte[] tokenHash; // null when no token
  private final AdminSources sources;
  private final AdminMetrics metrics;
  private final HeapHistograms histograms = new HeapHistograms();
  private final Profiling profiling = new Profiling();
  private final AtomicBoolean heapDumping = new AtomicBoolean();

  private AdminHttpServer(HttpServer http, ExecutorService executor, String token, AdminSources sources) {
    this.http = http;
    this.executor = executor;
    this.tokenHash = token.isEmpty() ? null : sha256(token);
    this.sources = sources;
    this.metrics = new AdminMetrics(sources);
  }

  /**
   * Binds and starts the admin server.
   *
   * @param bindHost address to bind (the {@code admin-bind} setting)
   * @param port port to bind, 0 for an ephemeral one (see {@link #port()})
   * @param token bearer token, {@code ""} (or null) for none; required when {@code bindHost} is not
   *     a loopback address
   * @param sources what the endpoints read from the server
   * @throws IllegalArgumentException for a non-loopback {@code bindHost} without a token
   * @throws IOException when the address cannot be resolved or bound
   */
  public static AdminHttpServer start(String bindHost, int port, String token, AdminSources sources) throws IOException {
    String t = token == null ? "" : token;
    InetAddress address = InetAddress.getByName(bindHost);
    if (!address.isLoopbackAddress() && t.isEmpty()) {
      throw new IllegalArgumentException("admin-bind " + bindHost + " is not a loopback address: set admin-token "
          + "(clients then send 'Authorization: Bearer <token>'), or bind the admin port to 127.0.0.1");
    }
    HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 16);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread thread = new Thread(r, "kaiware-admin-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    http.setExecutor(executor);
    AdminHttpServer server = new AdminHttpServer(http, executor, t, sources);
    http.createContext("/", server::handle);
    http.start();
    log.info("admin HTTP on {}:{}{}", address.getHostAddress(), server.port(), t.isEmpty() ? "" : " (bearer token required)");
    return server;
  }

  /** The port actually bound. */
  public int port() {
    return http.getAddress().getPort();
  }

  /** Stops listening and interrupts running requests (a profile in progress ends early). */
  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      if (!"GET".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "GET");
        error(ex, 405, "only GET is supported");
        return;
      }
      if ("/health".equals(path)) {
        text(ex, 200, "OK\n");
        return;
      }
      if (!authorized(ex)) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"kaiware-admin\"");
        error(ex, 401, "missing or wrong 'Authorization: Bearer <admin-token>' header");
        return;
      }
      Map<String, String> q = query(ex.getRequestURI().getRawQuery());
      switch (path) {
        case "/", "/debug", "/debug/" -> text(ex, 200, index());
        case "/ready" -> {
          String reason = sources.notReadyReason();
          text(ex, reason == null ? 200 : 503, reason == null ? "READY\n" : "NOT READY: " + reason + "\n");
        }
        case "/metrics" -> send(ex, 200, metrics.contentType(), metrics.scrape());
        case "/debug/heap" -> heap(ex, q);
        case "/debug/heapdump" -> heapDump(ex, q);
        case "/debug/threads" -> text(ex, 200, threadDump());
        case "/debug/profile" -> profile(ex, q);
        case "/debug/jfr" -> jfr(ex, q);
        default -> error(ex, 404, "no such endpoint: " + path + "; see /");
      }
    } catch (BadRequest e) {
      error(ex, 400, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(ex, 503, "admin server is shutting down");
    } catch (IOException e) {
      log.debug("admin request {} failed: {}", ex.getRequestURI(), e.toString());
      throw e; // most likely the client went away mid-response
    } catch (Exception | Error e) {
      log.warn("admin request {} failed", ex.getRequestURI(), e);
      error(ex, 500, e.toString());
    } finally {
      ex.close();
    }
  }

  private static String index() {
    return """
        Kaiware admin endpoints
          /health                          liveness, never needs the token
          /ready                           200 when ready for traffic, else 503
          /metrics                         Prometheus text format
          /debug/heap[?top=N]              class histogram of live objects (runs a full GC), with an id
          /debug/heap?diff=ID[&sort=bytes|instances][&top=N]   growth since histogram ID
          /debug/heapdump[?live=false]     .hprof heap dump
          /debug/threads                   thread dump
          /debug/profile?seconds=30&event=cpu|alloc|lock|wall|itimer&format=flamegraph|jfr|collapsed
          /debug/jfr?seconds=60            JDK Flight Recorder file
        """;
  }

  // --- heap

  private void heap(HttpExchange ex, Map<String, String> q) throws Exception {
    int top = intParam(q, "top", DEFAULT_TOP, 1, MAX_TOP);
    String sort = q.getOrDefault("sort", "bytes");
    if (!sort.equals("bytes") && !sort.equals("instances")) {
      throw new BadRequest("sort must be bytes or instances, not " + sort);
    }
    HeapHistograms.Histogram before = null;
    if (q.containsKey("diff")) {
      int id = intParam(q, "diff", 0, 1, Integer.MAX_VALUE);
      before = histograms.get(id);
      if (before == null) {
        error(ex, 404, "no heap histogram with id " + id + "; kept ids: " + histograms.ids()
            + " (only the last " + HeapHistograms.KEPT + " are kept)");
        return;
      }
    }
    HeapHistograms.Histogram now = histograms.take();
    ex.getResponseHeaders().set(HEAP_ID_HEADER, Integer.toString(now.id()));
    if (before == null) {
      text(ex, 200, HeapHistograms.format(now, top));
    } else {
      boolean byInstances = sort.equals("instances");
      List<HeapHistograms.Growth> growth = HeapHistograms.diff(before, now, byInstances);
      text(ex, 200, HeapHistograms.formatDiff(before, now, growth, top, byInstances));
    }
  }

  private void heapDump(HttpExchange ex, Map<String, String> q) throws IOException {
    boolean live = !"false".equals(q.getOrDefault("live", "true"));
    if (!heapDumping.compareAndSet(false, true)) {
      error(ex, 409, "a heap dump is already being written");
      return;
    }
    Path dir = null;
    Path file = null;
    try {
      dir = Files.createTempDirectory("kaiware-heapdump-");
      file = dir.resolve("kaiware-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis() + ".hprof");
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), live);
      stream(ex, file, "application/octet-stream", file.getFileName().toString());
    } finally {
      if (file != null) {
        Files.deleteIfExists(file);
      }
      if (dir != null) {
        Files.deleteIfExists(dir);
      }
      heapDumping.set(false);
    }
  }

  // --- threads

  static String threadDump() {
    try {
      return (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
          new Object[] {new String[] {"-l"}}, new String[] {String[].class.getName()});
    } catch (Exception e) {
      // No DiagnosticCommand MBean (not HotSpot): ThreadInfo prints at most 8 frames per thread.
      StringBuilder sb = new StringBuilder("# threadPrint unavailable (" + e + "); ThreadMXBean dump follows\n");
      for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
        sb.append(info);
      }
      return sb.toString();
    }
  }

  // --- profiling

  private void profile(HttpExchange ex, Map<String, String> q) throws Exception {
    int seconds = intParam(q, "seconds", DEFAULT_PROFILE_SECONDS, 1, Profiling.MAX_SECONDS);
    Profiling.Event event = enumParam(q, "event", Profiling.Event.class, Profiling.Event.CPU);
    Profiling.Format format = enumParam(q, "format", Profiling.Format.class, Profiling.Format.FLAMEGRAPH);
    Profiling.Result result;
    try {
      result = profiling.profile(seconds, event, format);
    } catch (Profiling.Busy e) {
      error(ex, 409, e.getMessage());
      return;
    } catch (Profiling.Unavailable e) {
      log.warn("profiling failed: {}", e.getMessage());
      error(ex, 503, "profiler unavailable: " + e.getMessage());
      return;
    }
    try {
      ex.getResponseHeaders().set(PROFILER_EVENT_HEADER, Profiling.name(result.event()));
      if (!result.note().isEmpty()) {
        ex.getResponseHeaders().set(PROFILER_NOTE_HEADER, result.note().replaceAll("[\\r\\n]+", " "));
      }
      String name = "kaiware-" + Profiling.name(result.event()) + "." + format.extension;
      stream(ex, result.file(), format.contentType, format == Profiling.Format.JFR ? name : null);
    } finally {
      Files.deleteIfExists(result.file());
    }
  }

  private void jfr(HttpExchange ex, Map<String, String> q) throws Exception {
    int seconds = intParam(q, "seconds", DEFAULT_JFR_SECONDS, 1, Profiling.MAX_SECONDS);
    Path file;
    try {
      file = profiling.jfr(seconds);
    } catch (Profiling.Busy e) {
      error(ex, 409, e.getMessage());
      return;
    }
    try {
      stream(ex, file, "application/octet-stream", "kaiware-" + ProcessHandle.current().pid() + ".jfr");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  // --- auth

  private boolean authorized(HttpExchange ex) {
    if (tokenHash == null) {
      return true;
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    // Hashing first makes the comparison constant-time in the token's length too.
    return MessageDigest.isEqual(tokenHash, sha256(presented));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- parameters

  /** A malformed query parameter; answered with 400. */
  private static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      q.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return q;
  }

  private static int intParam(Map<String, String> q, String name, int dflt, int min, int max) throws BadRequest {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < min) {
        throw new BadRequest(name + " must be at least " + min + ", not " + v);
      }
      return Math.min(i, max);
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be an integer, not " + v);
    }
  }

  private static <E extends Enum<E>> E enumParam(Map<String, String> q, String name, Class<E> type, E dflt)
      throws BadRequest {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.isEmpty() ? "" : "|").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new BadRequest(name + " must be one of " + allowed + ", not " + v);
    }
  }

  // --- responses

  private static void text(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    String json = "{\"error\": \"" + jsonEscape(message) + "\"}\n";
    send(ex, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  static String jsonEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void stream(HttpExchange ex, Path file, String contentType, String attachmentName) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (attachmentName != null) {
      ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + attachmentName + "\"");
    }
    long size = Files.size(file);
    ex.sendResponseHeaders(200, size == 0 ? -1 : size);
    if (size > 0) {
      try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
        in.transferTo(out);
      }
    }
  }
}
