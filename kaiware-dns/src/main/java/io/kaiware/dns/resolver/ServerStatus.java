package io.kaiware.dns.resolver;

import java.net.InetSocketAddress;

/**
 * A snapshot of one nameserver's health.
 *
 * @param srttMs smoothed round-trip time, -1 when never measured
 * @param failures recent failures (decays to 0)
 * @param demoted tried last and probed in background
 */
public record ServerStatus(InetSocketAddress address, double srttMs, int failures, boolean demoted,
    long queries, long failuresTotal) {}
