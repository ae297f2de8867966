package io.kaiware.dns.connect;

import java.net.InetSocketAddress;

/**
 * One TCP connection attempt made by {@link KaiwareConnector}.
 *
 * @param address where it went
 * @param startedAfterNanos when it started, relative to the start of the connect call
 * @param elapsedNanos how long it ran until it connected, failed or was abandoned
 * @param outcome how it ended
 * @param error the failure message (null unless {@code outcome == FAILED})
 */
public record ConnectAttempt(InetSocketAddress address, long startedAfterNanos, long elapsedNanos, Outcome outcome,
    String error) {

  /** How a connection attempt ended. */
  public enum Outcome {
    /** This attempt's connection was the one returned. */
    CONNECTED,
    /** Refused, unreachable or timed out; the address was backed off. */
    FAILED,
    /** Still running (or connected too late) when another attempt won, or when the deadline passed; closed. */
    ABANDONED
  }
}
