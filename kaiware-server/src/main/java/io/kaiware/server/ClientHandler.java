package io.kaiware.server;

import io.kaiware.command.ClientSession;
import io.kaiware.command.observe.WriteDelayWatch;
import io.kaiware.resp.RespLimits;
import io.kaiware.resp.RespProtocolException;
import io.kaiware.resp.RespRequestDecoder;
import io.kaiware.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: decodes requests, runs them on the engine, writes the replies.
 *
 * <h2>Two threading shapes (ADR 0002)</h2>
 * <ul>
 *   <li><b>Inline</b> ({@code io-threads 1}, the default): the connection's event loop <em>is</em> the
 *       engine thread. Each request runs as soon as it is decoded, its reply is appended to one
 *       output buffer, and the buffer is written when the read is complete and flushed when the
 *       loop's I/O pass ends, together with every other connection read in that pass
 *       ({@link PollableIoHandler#flushAfterPass}): a pipeline of N commands costs one write system
 *       call, and there is no thread hand-off at all.</li>
 *   <li><b>Hand-off</b> ({@code io-threads N > 1}): the I/O thread decodes all requests of a read into
 *       a batch and submits it to the engine thread, which executes the batch and hands one buffer
 *       back to the channel. At most {@link #MAX_BATCHES_IN_FLIGHT} batches per connection are in
 *       flight; beyond that the connection stops reading (backpressure).</li>
 * </ul>
 * In both shapes a connection whose replies the client does not read stops being read (the channel's
 * writability drives auto-read), so a slow reader cannot grow the server's memory without bound. On
 * a replicated server the connection also stops reading while its {@link ConnectionPipeline} holds
 * too many requests the log has not committed yet. In non-durable cache mode requests go through a
 * {@link DirectQueue}, which holds them back behind a blocking pop that parked the connection
 * ({@link BlockedClients}).
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
  static final int MAX_BATCHES_IN_FLIGHT = 4;

  private final ServerState server;
  private final RespRequestDecoder decoder;
  private ClientSession session;
  private ByteBuf cumulation;
  private boolean inline;
  private EventLoop engineLoop;
  /** Inline shape: replies waiting for the end of the read. */
  private ByteBuf pendingOut;
  /** Hand-off shape: requests waiting for the end of the read. */
  private List<byte[][]> pendingBatch;
  private int batchesInFlight;
  private boolean closing;
  /** On a replicated server: this connection's ordered queue of requests (engine loop). */
  private ConnectionPipeline pipeline;
  /** In non-durable cache mode: this connection's direct queue, parking on blocking pops (engine loop). */
  private DirectQueue direct;
  private Replication replication;
  /** The pipeline holds too many unanswered requests (set on the engine loop, read on the event loop). */
  private volatile boolean pipelineFull;

  ClientHandler(ServerState server, RespLimits limits) {
    this.server = server;
    this.decoder = new RespRequestDecoder(limits);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    engineLoop = server.engineLoop();
    inline = engineLoop == ch.eventLoop();
    session = new ClientSession(Addresses.format(ch.remoteAddress()), Addresses.format(ch.localAddress()),
        System.currentTimeMillis(), !server.passwordRequired());
    replication = server.replicationOrNull();
    if (replication != null) {
      pipeline = new ConnectionPipeline(server, replication, session, ch, paused -> {
        pipelineFull = paused;
        if (ch.eventLoop().inEventLoop()) {
          updateAutoRead(ch);
        } else {
          ch.eventLoop().execute(() -> updateAutoRead(ch));
        }
      });
    }
    if (pipeline == null) {
      direct = new DirectQueue(server, session, ch);
    }
    if (!server.register(session, ch)) {
      ByteBuf out = ctx.alloc().buffer(64);
      new RespWriter(out, 2).error("ERR max number of clients reached");
      ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      closing = true;
      return;
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      server.unregister(session);
    }
    if (pipeline != null) {
      ConnectionPipeline p = pipeline;
      if (inline) {
        p.release();
      } else {
        engineLoop.execute(p::release);
      }
    }
    if (direct != null) {
      DirectQueue d = direct;
      if (inline) {
        d.release();
      } else {
        engineLoop.execute(d::release);
      }
    }
    release();
    ctx.fireChannelInactive();
  }

  private void release() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    if (pendingOut != null) {
      pendingOut.release();
      pendingOut = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (closing) {
      in.release();
      return;
    }
    server.stats().addInput(in.readableBytes());
    cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    long nowMs = server.clock().millis();
    long startNs = System.nanoTime();
    int startReadable = cumulation.readableBytes();
    int executed = 0;
    long readMark = replication == null ? 0 : replication.readMark();
    try {
      for (;;) {
        decoder.setAuthenticated(session.authenticated());
        byte[][] request = decoder.decode(cumulation);
        if (request == null) {
          break;
        }
        if (inline && pipeline != null) {
          pipeline.offer(request, readMark);
          executed++;
          if (pipeline.closing()) {
            closing = true;
            break;
          }
        } else if (inline) {
          if (pendingOut == null) {
            pendingOut = ctx.alloc().ioBuffer(256);
          }
          direct.offer(request, pendingOut, nowMs);
          executed++;
          if (session.closeAfterReply()) {
            closing = true;
            break;
          }
        } else {
          if (pendingBatch == null) {
            pendingBatch = new ArrayList<>(8);
          }
          pendingBatch.add(request);
        }
      }
    } catch (RespProtocolException e) {
      protocolError(ctx, e);
    }
    if (executed > 0) {
      long tookNs = System.nanoTime() - startNs;
      WriteDelayWatch delays = server.engine().dispatcher().writeDelays();
      if (delays.isDelayed(tookNs)) {
        int consumed = cumulation == null ? startReadable : startReadable - cumulation.readableBytes();
        delays.report("apply", tookNs, executed, consumed, nowMs);
      }
    }
    if (cumulation != null && !cumulation.isReadable()) {
      cumulation.release();
      cumulation = null;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushPending(ctx, null);
    ctx.fireChannelReadComplete();
  }

  /**
   * Sends what the read produced. {@code protocolError}, when set, is the reply that ends the
   * connection after the replies to everything decoded before it.
   */
  private void flushPending(ChannelHandlerContext ctx, String protocolError) {
    boolean closeAfter = protocolError != null;
    if (inline && pipeline != null) {
      if (protocolError != null) {
        pipeline.offerProtocolError(protocolError);
      }
      ByteBuf out = pipeline.takeReady();
      boolean close = pipeline.closesWhenIdle() && pipeline.idle();
      if (out != null && out.isReadable()) {
        write(ctx.channel(), out, close);
      } else {
        if (out != null) {
          out.release();
        }
        if (close) {
          closeAfterWrites(ctx);
        }
      }
      return;
    }
    if (inline) {
      if (protocolError != null) {
        if (pendingOut == null) {
          pendingOut = ctx.alloc().ioBuffer(64);
        }
        new RespWriter(pendingOut, session.protocol()).error(protocolError);
      }
      ByteBuf out = pendingOut;
      pendingOut = null;
      if (out != null && out.isReadable()) {
        write(ctx.channel(), out, closeAfter || session.closeAfterReply());
      } else {
        if (out != null) {
          out.release();
        }
        if (closeAfter || session.closeAfterReply()) {
          closeAfterWrites(ctx);
        }
      }
      return;
    }
    List<byte[][]> batch = pendingBatch;
    pendingBatch = null;
    if (batch == null && !closeAfter) {
      return;
    }
    Channel ch = ctx.channel();
    if (++batchesInFlight >= MAX_BATCHES_IN_FLIGHT) {
      ch.config().setAutoRead(false);
    }
    ClientSession s = session;
    ConnectionPipeline p = pipeline;
    if (p != null) {
      engineLoop.execute(() -> {
        long readMark = replication.readMark();
        if (batch != null) {
          for (byte[][] request : batch) {
            p.offer(request, readMark);
          }
        }
        if (protocolError != null) {
          p.offerProtocolError(protocolError);
        }
        ch.eventLoop().execute(() -> {
          batchesInFlight--;
          updateAutoRead(ch);
        });
        p.flushNow();
      });
      return;
    }
    DirectQueue d = direct;
    engineLoop.execute(() -> {
      ByteBuf out = ch.alloc().ioBuffer(256);
      if (batch != null) {
        d.offer(batch, out, server.clock().millis());
      }
      if (protocolError != null) {
        new RespWriter(out, s.protocol()).error(protocolError);
      }
      ch.eventLoop().execute(() -> {
        batchesInFlight--;
        updateAutoRead(ch);
      });
      write(ch, out, closeAfter || s.closeAfterReply());
    });
  }

  private void write(Channel ch, ByteBuf out, boolean close) {
    server.stats().addOutput(out.readableBytes());
    if (close) {
      ch.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    } else if (inline && ch.eventLoop().inEventLoop() && server.flushAfterIoPass(ch)) {
      ch.write(out, ch.voidPromise());
    } else {
      ch.writeAndFlush(out, ch.voidPromise());
    }
  }

  /** Replies to what came before, then the protocol error, then closes: Redis's behaviour. */
  private void protocolError(ChannelHandlerContext ctx, RespProtocolException e) {
    closing = true;
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    log.debug("protocol error from {}: {}", session.remoteAddress(), e.getMessage());
    flushPending(ctx, e.replyText());
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    updateAutoRead(ctx.channel());
    ctx.fireChannelWritabilityChanged();
  }

  /** Reads while the client reads its replies and neither the hand-off nor the pipeline is full (event loop). */
  private void updateAutoRead(Channel ch) {
    ch.config().setAutoRead(ch.isWritable() && batchesInFlight < MAX_BATCHES_IN_FLIGHT && !pipelineFull);
  }

  /**
   * The client shut its side down (EOF; the server's channels allow half-closure for this). Its
   * last requests and the EOF often arrive in one read, and Redis answers everything it read before
   * it sees the EOF ({@code printf 'SET k v\r\n' | nc -q1 host port}). On a replicated server the
   * connection's pipeline answers every request, writes after the log, and closes after the last
   * reply. Otherwise the replies written by the read, waiting for the end of the I/O pass, leave
   * now and the connection closes.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && !closing) {
      if (inline && pipeline != null && pipeline.answerThenClose()) {
        flushPending(ctx, null); // closes now when nothing is pending, else after the last reply
      } else {
        closeAfterWrites(ctx);
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  private static void closeAfterWrites(ChannelHandlerContext ctx) {
    closeAfterWrites(ctx.channel());
  }

  /** Closes once the replies already written (perhaps waiting for the end of the I/O pass) are sent. */
  static void closeAfterWrites(Channel ch) {
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      log.warn("connection {} failed", session == null ? "?" : session.remoteAddress(), cause);
    }
    ctx.close();
  }
}
