package io.kaiware.server;

import io.netty.channel.Channel;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.ArrayList;

/**
 * The engine loop's I/O handler (epoll or NIO). It adds two things to the handler it wraps:
 * <ul>
 *   <li>It flushes, when an I/O pass ends, the replies written to the connections read during the
 *       pass ({@link #flushAfterPass}), as Redis writes its clients' replies in beforeSleep. A flush
 *       per connection read woke the client once per connection (ADR 0002).</li>
 *   <li>It can poll the network once more from inside a task that runs on the loop: what a script
 *       running past busy-reply-threshold needs to answer the other clients BUSY and to hear SCRIPT
 *       KILL (Redis's processEventsWhileBlocked).</li>
 * </ul>
 *
 * <h2>Why only from a task</h2>
 * With {@code io-threads 1} the engine thread is the only event loop (ADR 0002), so while a script
 * holds it nobody reads the sockets. Netty's loop alternates two phases: {@link #run} (wait for
 * readiness, then handle every ready channel from one array of events) and the task queue. A nested
 * {@code run} from inside the first phase would overwrite that array while the outer pass still
 * walks it, and edge-triggered epoll would lose the readiness of the channels not yet handled. From
 * inside a task the array is free, so {@link #pollNow} refuses to nest inside {@code run}, and a
 * script that may outlast the threshold runs from a task: a log apply is one; a probe run in line
 * from a read stops at its first hook check and runs again from a task (ConnectionPipeline), and
 * in non-durable mode a script is posted to a task at once (DirectQueue).
 *
 * <p>Nothing else of the loop runs nested: submitted and scheduled tasks (log applies, replies of
 * the log, timers) wait until the script ends. The channels served meanwhile only see BUSY or the
 * commands flagged ALLOW_BUSY, which touch their own session.
 */
final class PollableIoHandler implements IoHandler {

  /** Never blocks: handles what is ready now. */
  private static final IoHandlerContext NOW = new IoHandlerContext() {
    @Override
    public boolean canBlock() {
      return false;
    }

    @Override
    public long delayNanos(long currentTimeNanos) {
      return 0;
    }

    @Override
    public long deadlineNanos() {
      return -1;
    }
  };

  private final IoHandler delegate;
  /** Inside {@link #run}: a nested poll would clobber the outer pass's events. */
  private boolean running;
  /** Channels with replies written during this pass, flushed when it ends ({@link #flushAfterPass}). */
  private final ArrayList<Channel> toFlush = new ArrayList<>();

  private PollableIoHandler(IoHandler delegate) {
    this.delegate = delegate;
  }

  /** Wraps the handlers {@code factory} makes; {@code created} receives each (the engine loop has one). */
  static IoHandlerFactory wrap(IoHandlerFactory factory, java.util.function.Consumer<PollableIoHandler> created) {
    return new IoHandlerFactory() {
      @Override
      public IoHandler newHandler(ThreadAwareExecutor executor) {
        PollableIoHandler handler = new PollableIoHandler(factory.newHandler(executor));
        created.accept(handler);
        return handler;
      }

      @Override
      public boolean isChangingThreadSupported() {
        return factory.isChangingThreadSupported();
      }
    };
  }

  @Override
  public int run(IoHandlerContext context) {
    running = true;
    try {
      return delegate.run(context);
    } finally {
      running = false;
      flushDeferred();
    }
  }

  /**
   * Defers the flush of {@code channel}'s written replies to the end of this I/O pass, as Redis
   * writes every client's replies in beforeSleep, after reading all ready clients.
   *
   * @return false, deferring nothing, outside an I/O pass (the caller flushes)
   */
  boolean flushAfterPass(Channel channel) {
    if (!running) {
      return false;
    }
    toFlush.add(channel);
    return true;
  }

  private void flushDeferred() {
    int n = toFlush.size();
    for (int i = 0; i < n; i++) {
      toFlush.get(i).flush();
    }
    toFlush.clear();
  }

  /** Whether the loop is inside its I/O pass (where {@link #pollNow} does nothing); loop thread only. */
  boolean inIoPass() {
    return running;
  }

  /**
   * Handles the channels that are ready now, without blocking; must be called on the loop's thread.
   *
   * @return false, doing nothing, when called from inside the loop's own I/O pass
   */
  boolean pollNow() {
    if (running) {
      return false;
    }
    running = true;
    try {
      delegate.run(NOW);
    } finally {
      running = false;
      flushDeferred();
    }
    return true;
  }

  @Override
  public void initialize() {
    delegate.initialize();
  }

  @Override
  public void prepareToDestroy() {
    delegate.prepareToDestroy();
  }

  @Override
  public void destroy() {
    delegate.destroy();
  }

  @Override
  public IoRegistration register(IoHandle handle) throws Exception {
    return delegate.register(handle);
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public boolean isCompatible(Class<? extends IoHandle> handleType) {
    return delegate.isCompatible(handleType);
  }
}
