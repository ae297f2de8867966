package io.kaiware.dns.resolver;

import java.net.InetSocketAddress;

/**
 * One query sent to one server during a lookup.
 *
 * @param startedAfterNanos when it was sent, relative to the start of the lookup
 * @param elapsedNanos how long until it ended (or was abandoned)
 * @param overTcp true when retried over TCP after a truncated UDP answer (or use-vc)
 */
public record Attempt(String name, int type, InetSocketAddress server, Outcome outcome,
    long startedAfterNanos, long elapsedNanos, boolean overTcp) {}
