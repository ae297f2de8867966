package io.kaiware.resp;

/**
 * Limits the request decoder enforces, with Redis's defaults and names.
 *
 * @param maxBulkLengthBytes         proto-max-bulk-len: the longest bulk string a client may send (512 MB)
 * @param maxMultibulkLength         the most arguments in one request (Redis: INT_MAX; we keep 1M for heap safety)
 * @param maxInlineLengthBytes       the longest inline command line or length header (64 KB, PROTO_INLINE_MAX_SIZE)
 * @param maxUnauthMultibulkLength   before AUTH: the most arguments in one request (Redis: 10)
 * @param maxUnauthBulkLengthBytes   before AUTH: the longest bulk string (Redis: 16384)
 */
public record RespLimits(
    long maxBulkLengthBytes,
    int maxMultibulkLength,
    int maxInlineLengthBytes,
    int maxUnauthMultibulkLength,
    int maxUnauthBulkLengthBytes) {

  /** Redis 7.0's defaults. */
  public static final RespLimits DEFAULTS = new RespLimits(512L * 1024 * 1024, 1024 * 1024, 64 * 1024, 10, 16 * 1024);

  public RespLimits withMaxBulkLengthBytes(long bytes) {
    return new RespLimits(bytes, maxMultibulkLength, maxInlineLengthBytes, maxUnauthMultibulkLength, maxUnauthBulkLengthBytes);
  }
}
