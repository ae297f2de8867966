package io.kaiware.raft;

/**
 * A write or read that the group did not perform (or whose outcome is unknown: a timeout or a
 * leader change after the entry was appended). The server answers the client with an error; the
 * write may still be applied later, as with any Raft system that loses its reply.
 */
public class ReplicationException extends RuntimeException {
  public ReplicationException(String message) {
    super(message);
  }

  public ReplicationException(String message, Throwable cause) {
    super(message, cause);
  }
}
