package io.kaiware.command;

/** The HELP subcommand reply, in Redis's layout: a header line, then usage and description lines. */
public final class Help {
  private Help() {}

  public static void reply(CommandContext ctx, String command, String... lines) {
    ctx.reply().arrayHeader(lines.length + 3);
    ctx.reply().simpleString(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    for (String line : lines) {
      ctx.reply().simpleString(line);
    }
    ctx.reply().simpleString("HELP");
    ctx.reply().simpleString("    Print this help.");
  }
}
