package io.kaiware.dns.connect;

import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.select.AddressPolicy;
import io.kaiware.dns.select.AddressSelector;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Connects to a host name the way a cache client should: every address, ordered by a chosen
 * {@link AddressPolicy}, dialled with Happy Eyeballs, skipping addresses that just failed.
 *
 * <h2>One connect call</h2>
 * <ol>
 *   <li><b>Resolve</b> every address (A and AAAA) with {@link KaiwareResolver}: never stalls on a dead
 *   nameserver.</li>
 *   <li><b>Back off</b>: addresses that failed recently ({@link AddressBackoff}) are set aside; they
 *   are still tried, last, soonest out of backoff first.</li>
 *   <li><b>Order</b> the others with the {@link AddressSelector}'s policy ({@code round-robin} and
 *   {@code random} spread new connections over the working backends; {@code rfc6724-strict} shows
 *   the pinning of incident 2).</li>
 *   <li><b>Interleave families</b> (RFC 8305 section 4): after the first address, alternate IPv6 and
 *   IPv4 so a broken family costs one attempt delay, not one per address.</li>
 *   <li><b>Race</b> (RFC 8305 section 5): the first address is dialled; when it has neither connected
 *   nor failed after {@code attemptDelayMs} (250 ms by default, the RFC's recommendation), the next
 *   one is dialled <em>as well</em>, and so on. An attempt that fails starts the next one at once. The
 *   first connection wins; every other attempt is closed. One deadline, {@code connectTimeoutMs},
 *   bounds the whole call.</li>
 * </ol>
 * An attempt still pending after its attempt delay when another address connected counts as a
 * failure of its address (a silent backend). So a silent backend costs 250 ms on the first
 * connection and, once backed off, nothing; a refusing backend costs a round trip. The returned {@link Socket} is connected and otherwise unconfigured.
 *
 * <h2>Threads</h2>
 * Attempts block on virtual threads; the caller's thread coordinates them through a queue.
 * Thread-safe; close it to stop the executor (and the resolver, when it owns it).
 */
public final class KaiwareConnector implements AutoCloseable {
  /** RFC 8305 section 5: the recommended Connection Attempt Delay. */
  public static final int DEFAULT_ATTEMPT_DELAY_MS = 250;
  /** Default bound on a whole connect call (resolution excluded). */
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

  private final KaiwareResolver resolver;
  private final boolean ownsResolver;
  private final AddressSelector selector;
  private final AddressBackoff backoff;
  private final int attemptDelayMs;
  private final int connectTimeoutMs;
  private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();

  private KaiwareConnector(Builder b) {
    this.resolver = b.resolver;
    this.ownsResolver = b.ownsResolver;
    this.selector = b.selector;
    this.backoff = b.backoff != null ? b.backoff
        : new AddressBackoff(b.backoffBaseMs, b.backoffMaxMs >= 0 ? b.backoffMaxMs : Math.max(30_000, b.backoffBaseMs));
    this.attemptDelayMs = b.attemptDelayMs;
    this.connectTimeoutMs = b.connectTimeoutMs;
  }

  public static Builder builder(KaiwareResolver resolver) {
    return new Builder(resolver);
  }

  public KaiwareResolver resolver() {
    return resolver;
  }

  public AddressSelector selector() {
    return selector;
  }

  public AddressBackoff backoff() {
    return backoff;
  }

  public int connectTimeoutMs() {
    return connectTimeoutMs;
  }

  /** A connected socket to {@code host:port}, within the default connect timeout. */
  public Socket connect(String host, int port) throws IOException {
    return connect(host, port, connectTimeoutMs);
  }

  public Socket connect(String host, int port, int timeoutMs) throws IOException {
    return connectExplained(host, port, timeoutMs, Socket::new).socket();
  }

  /** A connection and the attempts that led to it. */
  public record Connection(Socket socket, List<ConnectAttempt> attempts) {}

  /**
   * Connects and reports every attempt. {@code newSocket} makes each unconnected socket (set
   * options that must precede connect there, e.g. receive buffer sizes).
   *
   * @throws UnknownHostException when the name has no address
   * @throws ConnectException when every address failed
   * @throws SocketTimeoutException when {@code timeoutMs} passed first
   */
  public Connection connectExplained(String host, int port, int timeoutMs, Supplier<Socket> newSocket)
      throws IOException {
    return race(plan(host, port), timeoutMs, newSocket);
  }

  /** The addresses a connect to {@code host:port} would dial now, in order. */
  public List<InetSocketAddress> plan(String host, int port) throws UnknownHostException {
    List<InetAddress> healthy = new ArrayList<>();
    List<InetSocketAddress> backedOff = new ArrayList<>();
    for (InetAddress a : resolver.resolveAll(host)) {
      InetSocketAddress sa = new InetSocketAddress(a, port);
      if (backoff.isBackedOff(sa)) {
        backedOff.add(sa);
      } else {
        healthy.add(a);
      }
    }
    // The policy orders the healthy addresses only, so that round-robin and random spread over the
    // backends that work instead of handing a dead backend's turns to its neighbour.
    List<InetSocketAddress> plan = new ArrayList<>();
    for (InetAddress a : interleaveFamilies(selector.order(host, healthy))) plan.add(new InetSocketAddress(a, port));
    plan.addAll(backoff.reorder(backedOff));
    return plan;
  }

  /**
   * RFC 8305 section 4 with a First Address Family Count of 1: the first address, then alternately
   * one of the other family and one of the first family, each family keeping its own order.
   */
  static List<InetAddress> interleaveFamilies(List<InetAddress> ordered) {
    if (ordered.size() < 2) return ordered;
    boolean firstIsV4 = ordered.get(0) instanceof Inet4Address;
    Deque<InetAddress> same = new ArrayDeque<>();
    Deque<InetAddress> other = new ArrayDeque<>();
    for (InetAddress a : ordered) ((a instanceof Inet4Address) == firstIsV4 ? same : other).add(a);
    List<InetAddress> out = new ArrayList<>(ordered.size());
    while (!same.isEmpty() || !other.isEmpty()) {
      if (!same.isEmpty()) out.add(same.poll());
      if (!other.isEmpty()) out.add(other.poll());
    }
    return out;
  }

  private record Done(int slot, IOException error) {}

  private record Running(InetSocketAddress address, Socket socket, long startNanos) {}

  private Connection race(List<InetSocketAddress> plan, int timeoutMs, Supplier<Socket> newSocket)
      throws IOException {
    long start = System.nanoTime();
    long deadline = start + timeoutMs * 1_000_000L;
    long delayNanos = attemptDelayMs * 1_000_000L;
    LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
    Map<Integer, Running> running = new HashMap<>();
    List<ConnectAttempt> report = new ArrayList<>();
    List<IOException> failures = new ArrayList<>();
    int next = 0;
    long nextStartAt = start;
    Socket winner = null;
    try {
      while (true) {
        long now = System.nanoTime();
        if (now - deadline >= 0) break;
        if (next < plan.size() && (running.isEmpty() || now - nextStartAt >= 0)) {
          InetSocketAddress address = plan.get(next);
          Socket socket = Objects.requireNonNull(newSocket.get(), "newSocket returned null");
          int slot = next++;
          int attemptTimeoutMs = (int) Math.max(1, (deadline - now) / 1_000_000L);
          running.put(slot, new Running(address, socket, now));
          attempts.execute(() -> {
            try {
              socket.connect(address, attemptTimeoutMs);
              done.add(new Done(slot, null));
            } catch (IOException e) {
              done.add(new Done(slot, e));
            }
          });
          nextStartAt = now + delayNanos;
          continue;
        }
        if (running.isEmpty()) break; // every address failed
        long waitUntil = next < plan.size() ? Math.min(nextStartAt, deadline) : deadline;
        Done d = done.poll(Math.max(0, waitUntil - now), TimeUnit.NANOSECONDS);
        if (d == null) continue;
        Running r = running.remove(d.slot);
        long end = System.nanoTime();
        if (d.error == null) {
          backoff.recordSuccess(r.address);
          report.add(new ConnectAttempt(r.address, r.startNanos - start, end - r.startNanos,
              ConnectAttempt.Outcome.CONNECTED, null));
          winner = r.socket;
          break;
        }
        backoff.recordFailure(r.address);
        failures.add(d.error);
        report.add(new ConnectAttempt(r.address, r.startNanos - start, end - r.startNanos,
            ConnectAttempt.Outcome.FAILED, String.valueOf(d.error.getMessage())));
        nextStartAt = end; // a failure hands over to the next address at once
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while connecting");
    } finally {
      long end = System.nanoTime();
      for (Running r : running.values()) {
        closeQuietly(r.socket);
        // Neither connected nor failed within the attempt delay while a later address connected:
        // a silent backend. Back it off so that the next connections do not pay the delay again.
        if (winner != null && end - r.startNanos >= delayNanos) backoff.recordFailure(r.address);
        report.add(new ConnectAttempt(r.address, r.startNanos - start, end - r.startNanos,
            ConnectAttempt.Outcome.ABANDONED, null));
      }
    }
    if (winner != null) return new Connection(winner, List.copyOf(report));
    IOException e;
    if (plan.isEmpty()) {
      e = new ConnectException("no address to connect to");
    } else if (next < plan.size() || !running.isEmpty() || failures.size() < plan.size()) {
      e = new SocketTimeoutException("connect timed out after " + timeoutMs + " ms; attempts: " + report);
      // The addresses still being dialled when the deadline passed never answered: back them off.
      for (Running r : running.values()) backoff.recordFailure(r.address);
    } else {
      e = new ConnectException("every address failed: " + report);
    }
    for (IOException f : failures) e.addSuppressed(f);
    throw e;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // abandoning
    }
  }

  @Override
  public void close() {
    attempts.shutdownNow();
    if (ownsResolver) resolver.close();
  }

  /** Settings of a {@link KaiwareConnector}. */
  public static final class Builder {
    private final KaiwareResolver resolver;
    private boolean ownsResolver;
    private AddressSelector selector = AddressSelector.of(AddressPolicy.RFC6724);
    private AddressBackoff backoff;
    private int attemptDelayMs = DEFAULT_ATTEMPT_DELAY_MS;
    private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
    private long backoffBaseMs = 1_000;
    private long backoffMaxMs = -1; // unset: max(30 s, base)

    private Builder(KaiwareResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver);
    }

    /** Close the resolver when the connector is closed. */
    public Builder ownsResolver(boolean v) { ownsResolver = v; return this; }
    public Builder selector(AddressSelector v) { selector = Objects.requireNonNull(v); return this; }
    public Builder policy(AddressPolicy v) { selector = AddressSelector.of(v); return this; }
    /** Share one backoff table between connectors (e.g. a Jedis and a Lettuce client). */
    public Builder backoff(AddressBackoff v) { backoff = Objects.requireNonNull(v); return this; }
    /** RFC 8305 Connection Attempt Delay: when the next address is dialled in parallel. */
    public Builder attemptDelayMs(int v) { attemptDelayMs = positive(v, "attemptDelayMs"); return this; }
    public Builder connectTimeoutMs(int v) { connectTimeoutMs = positive(v, "connectTimeoutMs"); return this; }
    /** First backoff after a failure; doubles per consecutive failure up to {@code backoffMaxMs}. */
    public Builder backoffBaseMs(long v) { backoffBaseMs = v; return this; }
    /** Longest backoff (default 30 s, or the base when that is longer). */
    public Builder backoffMaxMs(long v) { backoffMaxMs = v; return this; }

    private static int positive(int v, String what) {
      if (v <= 0) throw new IllegalArgumentException(what + " must be positive");
      return v;
    }

    public KaiwareConnector build() {
      return new KaiwareConnector(this);
    }
  }
}
