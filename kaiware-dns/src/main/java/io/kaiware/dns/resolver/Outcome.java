package io.kaiware.dns.resolver;

/** How one query to one server ended. The first three are final answers; the rest move on. */
public enum Outcome {
  /** NOERROR with records of the asked type. Final. */
  ANSWER(true),
  /** NXDOMAIN: the name does not exist. Final (never ask the next server). */
  NXDOMAIN(true),
  /** NOERROR without records of the asked type (the usual AAAA answer of an IPv4-only name). Final. */
  NODATA(true),
  SERVFAIL(false),
  REFUSED(false),
  /** Any other rcode or a malformed/mismatched reply. */
  BAD_REPLY(false),
  /** No reply within the per-attempt timeout (a silent server). */
  TIMEOUT(false),
  /** ICMP port unreachable or TCP connection refused (a dead port). */
  UNREACHABLE(false),
  /** Abandoned because another server answered first. */
  CANCELLED(false);

  private final boolean finalAnswer;

  Outcome(boolean finalAnswer) {
    this.finalAnswer = finalAnswer;
  }

  public boolean isFinal() {
    return finalAnswer;
  }
}
