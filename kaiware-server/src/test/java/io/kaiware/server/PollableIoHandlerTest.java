package io.kaiware.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The engine loop's I/O pass: replies written while it reads are flushed once, when it ends. */
class PollableIoHandlerTest {

  /** An I/O pass that runs {@link #onRun} as if it were handling the ready channels. */
  private static final class ScriptedIoHandler implements IoHandler {
    Runnable onRun = () -> {};

    @Override
    public int run(IoHandlerContext context) {
      onRun.run();
      return 1;
    }

    @Override
    public void wakeup() {}

    @Override
    public IoRegistration register(IoHandle handle) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
      return true;
    }
  }

  private final ScriptedIoHandler inner = new ScriptedIoHandler();
  private final PollableIoHandler handler = wrap(inner);

  private static PollableIoHandler wrap(IoHandler inner) {
    AtomicReference<PollableIoHandler> created = new AtomicReference<>();
    IoHandlerFactory factory = new IoHandlerFactory() {
      @Override
      public IoHandler newHandler(ThreadAwareExecutor executor) {
        return inner;
      }
    };
    PollableIoHandler.wrap(factory, created::set).newHandler(null);
    return created.get();
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private static String readOutbound(EmbeddedChannel ch) {
    ByteBuf b = ch.readOutbound();
    if (b == null) {
      return null;
    }
    try {
      return b.toString(StandardCharsets.US_ASCII);
    } finally {
      b.release();
    }
  }

  @Test
  void repliesWrittenDuringThePassLeaveWhenItEnds() {
    EmbeddedChannel a = new EmbeddedChannel();
    EmbeddedChannel b = new EmbeddedChannel();
    inner.onRun = () -> {
      for (EmbeddedChannel ch : new EmbeddedChannel[] {a, b}) {
        ch.write(text("+OK\r\n"), ch.voidPromise());
        assertThat(handler.flushAfterPass(ch)).isTrue();
      }
      // Still inside the pass: nothing has been sent.
      assertThat((Object) a.readOutbound()).isNull();
      assertThat((Object) b.readOutbound()).isNull();
    };
    handler.run(null);
    assertThat(readOutbound(a)).isEqualTo("+OK\r\n");
    assertThat(readOutbound(b)).isEqualTo("+OK\r\n");

    // The next pass starts with nothing left to flush from the previous one.
    inner.onRun = () -> a.write(text(":1\r\n"), a.voidPromise());
    handler.run(null);
    assertThat((Object) a.readOutbound()).isNull();
  }

  @Test
  void outsideAPassTheCallerFlushes() {
    EmbeddedChannel ch = new EmbeddedChannel();
    assertThat(handler.flushAfterPass(ch)).isFalse();
  }

  @Test
  void aPollFromATaskFlushesWhatItWrote() {
    EmbeddedChannel ch = new EmbeddedChannel();
    inner.onRun = () -> {
      ch.write(text("-BUSY\r\n"), ch.voidPromise());
      handler.flushAfterPass(ch);
    };
    assertThat(handler.pollNow()).isTrue();
    assertThat(readOutbound(ch)).isEqualTo("-BUSY\r\n");
  }

  @Test
  void aFailingPassStillFlushes() {
    EmbeddedChannel ch = new EmbeddedChannel();
    inner.onRun = () -> {
      ch.write(text("+PONG\r\n"), ch.voidPromise());
      handler.flushAfterPass(ch);
      throw new IllegalStateException("boom");
    };
    try {
      handler.run(null);
    } catch (IllegalStateException expected) {
      // the pass failed after writing
    }
    assertThat(readOutbound(ch)).isEqualTo("+PONG\r\n");
    assertThat(handler.inIoPass()).isFalse();
  }
}
