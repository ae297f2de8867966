package io.kaiware.command;

/**
 * The option tail LMPOP, BLMPOP, ZMPOP and BZMPOP share after their keys and direction:
 * {@code [COUNT count]}, parsed as Redis's t_list.c and t_zset.c parse it (once at most, a positive
 * count, anything else a syntax error).
 */
public final class MultiPop {
  private MultiPop() {}

  /** The COUNT given in the arguments from {@code from} on, 1 when there is none. */
  public static long count(CommandContext ctx, int from) {
    long count = -1;
    for (int j = from; j < ctx.argc(); j++) {
      boolean more = j < ctx.argc() - 1;
      if (count == -1 && more && ctx.argIs(j, "COUNT")) {
        j++;
        count = ctx.longArgAtLeast(j, 1, "ERR count should be greater than 0");
      } else {
        throw new CommandError(CommandError.SYNTAX);
      }
    }
    return count == -1 ? 1 : count;
  }
}
