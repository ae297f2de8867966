package io.kaiware.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer fuzz target for DUMP bodies (RESTORE decodes client-supplied bytes). Under plain
 * {@code mvn verify} it runs in regression mode over the inputs in
 * {@code src/test/resources/io/kaiware/engine/ValueCodecFuzzerInputs/} (valid ranking, window
 * counter, list and set bodies, and some broken ones); to fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl kaiware-engine -am test -Dtest=ValueCodecFuzzer -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ValueCodecFuzzer {

  /**
   * Arbitrary bytes decode to a value or to {@code null}, never an exception; a value decoded
   * re-encodes to a body that decodes to the same content, and a ranking's aggregates agree with
   * its buckets.
   */
  @FuzzTest(maxDuration = "30s")
  void arbitraryBodiesDecodeOrAreRejected(byte[] input) {
    Object value = ValueCodec.decode(input, 0, input.length);
    if (value == null) {
      return;
    }
    if (value instanceof Ranking ranking) {
      ranking.checkInvariants();
    }
    ValueCodec.Out out = new ValueCodec.Out();
    ValueCodec.encode(value, out);
    byte[] again = out.toArray(0);
    Object copy = ValueCodec.decode(again, 0, again.length);
    assertThat(copy).isNotNull();
    if (value instanceof CollectionValue c) {
      assertThat(elements((CollectionValue) copy)).isEqualTo(elements(c));
    }
  }

  private static List<String> elements(CollectionValue v) {
    List<String> parts = new ArrayList<>();
    v.digestElements((n, c) -> parts.add(new String(n, StandardCharsets.ISO_8859_1)
        + (c == null ? "" : "=" + new String(c, StandardCharsets.ISO_8859_1))), Long.MIN_VALUE);
    parts.sort(null);
    return parts;
  }
}
