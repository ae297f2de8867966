package io.kaiware.engine;

/**
 * An RDB file {@link RdbFileReader} refuses: malformed, cut short, of an unsupported version, or
 * holding something Kaiware cannot load (a module's value, a value type it does not read). The
 * message says what and where; {@link #offset()} is the byte offset in the file (from its first
 * byte, the {@code R} of {@code REDIS}).
 */
public final class RdbFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long offset;

  public RdbFormatException(long offset, String problem) {
    super("RDB offset " + offset + ": " + problem);
    this.offset = offset;
  }

  /** Where the refused item starts, in bytes from the start of the file. */
  public long offset() {
    return offset;
  }
}
