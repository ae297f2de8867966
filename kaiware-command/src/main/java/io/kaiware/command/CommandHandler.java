package io.kaiware.command;

/**
 * The body of a command. Runs on the engine thread with arity, authentication and other flag checks
 * already done by the {@link Dispatcher}: a handler never re-checks arity. It writes exactly one reply
 * (which may be an aggregate) and reports errors as error replies, never as exceptions.
 */
@FunctionalInterface
public interface CommandHandler {
  void execute(CommandContext ctx);
}
