package io.kaiware.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Differential test: Kaiware's decoder and Netty's codec-redis (RESP2 only) must agree on every
 * pipeline of multibulk requests, however the bytes are split.
 */
class RespOracleTest {

  @Property(tries = 300)
  void agreesWithNettyCodecRedis(@ForAll("pipelines") List<List<byte[]>> pipeline, @ForAll @IntRange(min = 1, max = 64) int chunk) {
    byte[] wire = RespFuzzing.encode(pipeline);
    assertThat(RespFuzzing.normalise(decodeWithKaiware(wire, chunk))).isEqualTo(RespFuzzing.normalise(pipeline));
    assertThat(RespFuzzing.normalise(decodeWithNetty(wire, chunk))).isEqualTo(RespFuzzing.normalise(pipeline));
  }

  @Provide
  Arbitrary<List<List<byte[]>>> pipelines() {
    Arbitrary<byte[]> arg = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    return arg.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(8);
  }

  static List<List<byte[]>> decodeWithKaiware(byte[] wire, int chunk) {
    RespRequestDecoder decoder = new RespRequestDecoder(RespLimits.DEFAULTS);
    List<List<byte[]>> out = new ArrayList<>();
    ByteBuf cumulation = Unpooled.buffer();
    for (int offset = 0; offset < wire.length; offset += chunk) {
      cumulation.writeBytes(wire, offset, Math.min(chunk, wire.length - offset));
      byte[][] request;
      while ((request = decoder.decode(cumulation)) != null) {
        out.add(Arrays.asList(request));
      }
    }
    cumulation.release();
    return out;
  }

  static List<List<byte[]>> decodeWithNetty(byte[] wire, int chunk) {
    EmbeddedChannel channel = new EmbeddedChannel(new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator());
    List<List<byte[]>> out = new ArrayList<>();
    for (int offset = 0; offset < wire.length; offset += chunk) {
      channel.writeInbound(Unpooled.wrappedBuffer(wire, offset, Math.min(chunk, wire.length - offset)));
      RedisMessage message;
      while ((message = channel.readInbound()) != null) {
        ArrayRedisMessage array = (ArrayRedisMessage) message;
        List<byte[]> args = new ArrayList<>();
        for (RedisMessage child : array.children()) {
          ByteBuf content = ((FullBulkStringRedisMessage) child).content();
          byte[] bytes = new byte[content.readableBytes()];
          content.getBytes(content.readerIndex(), bytes);
          args.add(bytes);
        }
        array.release();
        out.add(args);
      }
    }
    channel.finishAndReleaseAll();
    return out;
  }
}
