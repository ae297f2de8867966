package io.kaiware.resp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer fuzz targets. Under plain {@code mvn verify} they run in regression mode over the inputs
 * in {@code src/test/resources/io/kaiware/resp/RespRequestDecoderFuzzerInputs/}; to fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl kaiware-resp test -Dtest=RespRequestDecoderFuzzer}.
 */
class RespRequestDecoderFuzzer {

  /** Arbitrary bytes: the decoder either decodes or reports a protocol error; nothing else escapes. */
  @FuzzTest(maxDuration = "30s")
  void arbitraryBytesNeverCrashTheDecoder(byte[] input) {
    RespRequestDecoder decoder = new RespRequestDecoder(new RespLimits(1 << 20, 1024, 4096, 10, 16384));
    ByteBuf in = Unpooled.wrappedBuffer(input);
    try {
      while (decoder.decode(in) != null) {
        // keep going
      }
    } catch (RespProtocolException expected) {
      // a clean protocol error is a valid outcome
    }
  }

  /** Well-formed pipelines decode to exactly what was sent, as Netty's codec-redis agrees. */
  @FuzzTest(maxDuration = "30s")
  void wellFormedPipelinesMatchTheOracle(FuzzedDataProvider data) {
    List<List<byte[]>> pipeline = new ArrayList<>();
    int requests = data.consumeInt(1, 8);
    for (int r = 0; r < requests; r++) {
      List<byte[]> request = new ArrayList<>();
      int args = data.consumeInt(1, 5);
      for (int a = 0; a < args; a++) {
        request.add(data.consumeBytes(data.consumeInt(0, 64)));
      }
      pipeline.add(request);
    }
    int chunk = data.consumeInt(1, 32);
    byte[] wire = RespFuzzing.encode(pipeline);
    assertThat(RespFuzzing.normalise(RespOracleTest.decodeWithKaiware(wire, chunk))).isEqualTo(RespFuzzing.normalise(pipeline));
    assertThat(RespFuzzing.normalise(RespOracleTest.decodeWithNetty(wire, chunk))).isEqualTo(RespFuzzing.normalise(pipeline));
  }
}
