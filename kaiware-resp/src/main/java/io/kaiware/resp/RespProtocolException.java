package io.kaiware.resp;

/**
 * The client broke the protocol. The message is what Redis would put after {@code -ERR Protocol error: };
 * the connection answers it once and closes. Stackless: a client can trigger it at will.
 */
public final class RespProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RespProtocolException(String message) {
    super(message, null, false, false);
  }

  /** The full error line a server writes back, without the leading '-' and trailing CRLF. */
  public String replyText() {
    return "ERR Protocol error: " + getMessage();
  }
}
