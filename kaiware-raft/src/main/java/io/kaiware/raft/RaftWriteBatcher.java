package io.kaiware.raft;

import io.kaiware.raft.LogEntryCodec.Request;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: collects write requests from any number of threads and submits them to Raft as
 * one log entry per batch, so the fixed cost of an entry (append, fsync, one replication round
 * trip) is shared by every request in it. Ratis measured here does ~850 entries/s; a batch of a
 * few hundred requests turns that into hundreds of thousands of requests/s.
 *
 * <h2>How a batch is cut</h2>
 * One thread, {@code kaiware-raft-batcher}, loops:
 * <ol>
 *   <li>wait for the first request;</li>
 *   <li>take an in-flight permit (at most {@link Options#maxInFlight} batches are submitted and not
 *       yet answered) — while it waits, requests pile up in the queue, which is what makes batches
 *       grow exactly when Raft is the bottleneck;</li>
 *   <li>drain the queue up to {@link Options#maxRequests} requests and {@link Options#maxBytes}
 *       bytes; when the queue runs dry, linger up to {@link Options#maxDelayMicros} for more, but
 *       only while another batch is in flight (an idle pipeline sends at once: no added latency at
 *       low load);</li>
 *   <li>stamp the batch with the leader's clock, never behind the previous stamp or the log time
 *       (see {@link KaiwareStateMachine}), encode it, submit it, and go round again without waiting
 *       for the answer.</li>
 * </ol>
 * When the entry's reply arrives, each caller's future completes with its own request's reply
 * bytes, or every future of the batch fails with the same {@link ReplicationException}.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread.
 */
public final class RaftWriteBatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RaftWriteBatcher.class);

  /** Limits of one batch. */
  public record Options(int maxRequests, int maxBytes, long maxDelayMicros, int maxInFlight) {
    public static Options defaults() {
      return new Options(1024, 1 << 20, 200, 4);
    }
  }

  /** Submits one encoded entry; the future yields the entry's encoded replies. */
  @FunctionalInterface
  public interface Submitter extends Function<byte[], CompletableFuture<ByteBuffer>> {}

  private record Pending(Request request, int size, CompletableFuture<byte[]> reply) {}

  private static final Pending STOP = new Pending(null, 0, null);
  private static final byte[] NO_REPLY = new byte[0];

  private final Submitter submitter;
  private final LongSupplier clockMs;
  private final LongSupplier minStampMs;
  private final Options options;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Semaphore inFlight;
  private final Thread thread;
  private volatile boolean closed;
  private long lastStampMs;
  private volatile long lastSubmitNanos = System.nanoTime();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  /** Where batch sizes and commit times go (INFO raft, /metrics, the commit-stage delay warning). */
  private volatile RaftStats stats;

  /**
   * @param submitter  submits an entry to the Raft server
   * @param clockMs    the leader's clock
   * @param minStampMs a floor for stamps: the state machine's log time
   */
  public RaftWriteBatcher(Submitter submitter, LongSupplier clockMs, LongSupplier minStampMs, Options options,
      String name) {
    this.submitter = submitter;
    this.clockMs = clockMs;
    this.minStampMs = minStampMs;
    this.options = options;
    this.inFlight = new Semaphore(options.maxInFlight());
    this.thread = Thread.ofPlatform().daemon().name("kaiware-raft-batcher-" + name).unstarted(this::run);
    thread.start();
  }

  /** Queues {@code request}; the future completes with its reply bytes (RESP) once committed and applied. */
  public CompletableFuture<byte[]> submit(Request request) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new ReplicationException("closed"));
      return f;
    }
    queue.add(new Pending(request, request.encodedSize(), f));
    return f;
  }

  /** Queues a tick: an entry with no request, which moves the log time forward. */
  public CompletableFuture<byte[]> tick() {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    queue.add(new Pending(null, 0, f));
    return f;
  }

  /** Records each batch's size and commit time in {@code stats} from now on. */
  void stats(RaftStats stats) {
    this.stats = stats;
  }

  /** Nanos (System.nanoTime) of the last submission: the tick timer's idleness test. */
  public long lastSubmitNanos() {
    return lastSubmitNanos;
  }

  /** Entries submitted so far. */
  public long batches() {
    return batches.get();
  }

  /** Requests submitted so far (ticks excluded). */
  public long requests() {
    return requests.get();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    Pending carry = null;
    try {
      while (!closed) {
        Pending first = carry != null ? carry : queue.take();
        carry = null;
        if (first == STOP) {
          break;
        }
        inFlight.acquire();
        batch.add(first);
        int bytes = first.size();
        long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(options.maxDelayMicros());
        while (batch.size() < options.maxRequests()) {
          Pending p = queue.poll();
          if (p == null) {
            boolean othersInFlight = inFlight.availablePermits() < options.maxInFlight() - 1;
            long remaining = deadline - System.nanoTime();
            if (!othersInFlight || remaining <= 0) {
              break;
            }
            p = queue.poll(remaining, TimeUnit.NANOSECONDS);
            if (p == null) {
              break;
            }
          }
          if (p == STOP || bytes + p.size() > options.maxBytes()) {
            carry = p;
            break;
          }
          batch.add(p);
          bytes += p.size();
        }
        send(batch);
        batch = new ArrayList<>();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    fail(batch, new ReplicationException("closed"));
    if (carry != null && carry != STOP) {
      carry.reply().completeExceptionally(new ReplicationException("closed"));
    }
    for (Pending p; (p = queue.poll()) != null; ) {
      if (p != STOP) {
        p.reply().completeExceptionally(new ReplicationException("closed"));
      }
    }
  }

  private void send(List<Pending> batch) {
    List<Request> reqs = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (p.request() != null) {
        reqs.add(p.request());
      }
    }
    long stamp = Math.max(clockMs.getAsLong(), Math.max(lastStampMs, minStampMs.getAsLong()));
    lastStampMs = stamp;
    byte[] entry = LogEntryCodec.encode(stamp, reqs);
    batches.incrementAndGet();
    requests.addAndGet(reqs.size());
    lastSubmitNanos = System.nanoTime();
    long submitNanos = lastSubmitNanos;
    RaftStats observer = reqs.isEmpty() ? null : stats; // ticks are not write batches
    int commands = 0;
    if (observer != null) {
      for (Request r : reqs) {
        commands += r.commands().size(); // a MULTI ... EXEC block counts every command in it
      }
      observer.batchSubmitted(commands, entry.length);
    }
    int commandCount = commands;
    CompletableFuture<ByteBuffer> f;
    try {
      f = submitter.apply(entry);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((replies, error) -> {
      inFlight.release();
      if (observer != null && error == null) {
        observer.batchCommitted(System.nanoTime() - submitNanos, commandCount, entry.length);
      }
      if (error != null) {
        fail(batch, error);
      } else {
        complete(batch, replies, reqs.size());
      }
    });
  }

  private static void complete(List<Pending> batch, ByteBuffer encoded, int expected) {
    List<byte[]> replies;
    try {
      replies = LogEntryCodec.decodeReplies(encoded);
    } catch (LogEntryCodec.CorruptEntryException e) {
      fail(batch, new ReplicationException("undecodable reply: " + e.getMessage()));
      return;
    }
    if (replies.size() != expected) {
      // The entry was skipped as corrupt on apply.
      fail(batch, new ReplicationException(KaiwareStateMachine.CORRUPT_ENTRY_ERROR));
      return;
    }
    int i = 0;
    for (Pending p : batch) {
      p.reply().complete(p.request() == null ? NO_REPLY : replies.get(i++));
    }
  }

  private static void fail(List<Pending> batch, Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    for (Pending p : batch) {
      p.reply().completeExceptionally(cause);
    }
  }

  /** Stops the thread; queued requests fail with {@link ReplicationException}. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("batcher thread did not stop");
      thread.interrupt();
    }
  }
}
