package io.kaiware.command;

/**
 * An error reply raised while parsing a command's arguments; the {@link Dispatcher} turns it into
 * {@code -<message>} before anything else of the reply is written. Stackless: clients trigger it at will.
 */
public final class CommandError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
  public static final String NOT_A_FLOAT = "ERR value is not a valid float";
  public static final String SYNTAX = "ERR syntax error";

  public CommandError(String replyText) {
    super(replyText, null, false, false);
  }
}
