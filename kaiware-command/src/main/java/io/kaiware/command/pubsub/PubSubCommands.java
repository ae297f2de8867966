package io.kaiware.command.pubsub;

import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.MAY_REPLICATE;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.PUBSUB;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.ClientSession;
import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandError;
import io.kaiware.command.CommandSpec;
import io.kaiware.command.Help;
import io.kaiware.engine.GlobMatcher;
import io.kaiware.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * SUBSCRIBE, PSUBSCRIBE, their UNSUBSCRIBEs and PUBLISH; Redis 7's shard channels (SSUBSCRIBE,
 * SUNSUBSCRIBE, SPUBLISH: a namespace of their own, {@code smessage} pushes); PUBSUB CHANNELS,
 * NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB. Messages on one server, enough for Sentinel clients to
 * hear {@code +switch-master} (see {@code SentinelCommands}) — Jedis SUBSCRIBEs to that channel,
 * Lettuce's MasterReplica PSUBSCRIBEs to {@code *}. Messages are not replicated and not forwarded
 * between members (unlike Redis Cluster's PUBLISH). Patterns are Redis's globs ({@code GlobMatcher});
 * a subscriber whose channel and pattern both match gets both messages, as in Redis.
 */
public final class PubSubCommands {
  private PubSubCommands() {}

  /** Commands a RESP2 connection may send while it has subscriptions (Redis's rule). */
  public static final Set<String> ALLOWED_WHILE_SUBSCRIBED = Set.of("subscribe", "unsubscribe", "psubscribe", "punsubscribe",
      "ssubscribe", "sunsubscribe", "ping", "quit", "reset");

  public static List<CommandSpec> specs() {
    return List.of(
        command("subscribe").arity(-2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group("pubsub").since("2.0.0")
            .complexity("O(N) where N is the number of channels to subscribe to.")
            .summary("Listens for messages published to channels (this server's PUBLISH and +switch-master).")
            .handler(PubSubCommands::subscribe).build(),
        command("unsubscribe").arity(-1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group("pubsub").since("2.0.0")
            .complexity("O(N) where N is the number of channels to unsubscribe.")
            .summary("Stops listening to messages posted to channels.")
            .handler(PubSubCommands::unsubscribe).build(),
        command("psubscribe").arity(-2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group("pubsub").since("2.0.0")
            .complexity("O(N) where N is the number of patterns to subscribe to.")
            .summary("Listens for messages published to channels that match glob patterns (this server's PUBLISH and +switch-master).")
            .handler(PubSubCommands::psubscribe).build(),
        command("punsubscribe").arity(-1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group("pubsub").since("2.0.0")
            .complexity("O(N) where N is the number of patterns to unsubscribe.")
            .summary("Stops listening to messages published to channels that match glob patterns.")
            .handler(PubSubCommands::punsubscribe).build(),
        command("publish").arity(3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE).group("pubsub").since("2.0.0")
            .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel.")
            .summary("Posts a message to a channel on this server; returns the number of subscribers that received it.")
            .handler(ctx -> {
              ctx.propagation().force(); // Redis replicates PUBLISH so replicas' subscribers hear it too
              ctx.reply().integer(ctx.server() == null ? 0 : ctx.server().publish(ctx.argString(1), ctx.arg(2)));
            })
            .build(),
        command("ssubscribe").arity(-2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).keys(1, -1, 1).group("pubsub").since("7.0.0")
            .complexity("O(N) where N is the number of shard channels to subscribe to.")
            .summary("Listens for messages published to shard channels (this server's SPUBLISH).")
            .handler(ctx -> subscribe(ctx, ctx.session().shardSubscriptions(), "ssubscribe")).build(),
        command("sunsubscribe").arity(-1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).keys(1, -1, 1).group("pubsub").since("7.0.0")
            .complexity("O(N) where N is the number of clients already subscribed to a shard channel.")
            .summary("Stops listening to messages posted to shard channels.")
            .handler(ctx -> unsubscribe(ctx, ctx.session().shardSubscriptions(), "sunsubscribe")).build(),
        command("spublish").arity(3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE).keys(1, 1, 1).group("pubsub").since("7.0.0")
            .complexity("O(N) where N is the number of clients subscribed to the receiving shard channel.")
            .summary("Posts a message to a shard channel on this server; returns the number of subscribers that received it.")
            .handler(ctx -> {
              ctx.propagation().force();
              ctx.reply().integer(ctx.server() == null ? 0 : ctx.server().publishShard(ctx.argString(1), ctx.arg(2)));
            })
            .build(),
        command("pubsub").arity(-2).group("pubsub").since("2.8.0").summary("A container for Pub/Sub commands.")
            .subcommand(command("channels").arity(-2).flags(PUBSUB, LOADING, STALE).since("2.8.0")
                .complexity("O(N) where N is the number of active channels, and assuming constant time pattern matching.")
                .summary("Returns the active channels.")
                .handler(ctx -> channels(ctx, ClientSession::subscriptions)))
            .subcommand(command("numsub").arity(-2).flags(PUBSUB, LOADING, STALE).since("2.8.0")
                .complexity("O(N) for the NUMSUB subcommand, where N is the number of requested channels")
                .summary("Returns a count of subscribers to channels.")
                .handler(ctx -> numsub(ctx, ClientSession::subscriptions)))
            .subcommand(command("numpat").arity(2).flags(PUBSUB, LOADING, STALE).since("2.8.0").complexity("O(1)")
                .summary("Returns a count of unique pattern subscriptions.")
                .handler(ctx -> ctx.reply().integer(active(ctx, ClientSession::patterns).size())))
            .subcommand(command("shardchannels").arity(-2).flags(PUBSUB, LOADING, STALE).since("7.0.0")
                .complexity("O(N) where N is the number of active shard channels, and assuming constant time pattern matching.")
                .summary("Returns the active shard channels.")
                .handler(ctx -> channels(ctx, ClientSession::shardSubscriptions)))
            .subcommand(command("shardnumsub").arity(-2).flags(PUBSUB, LOADING, STALE).since("7.0.0")
                .complexity("O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels")
                .summary("Returns the count of subscribers of shard channels.")
                .handler(ctx -> numsub(ctx, ClientSession::shardSubscriptions)))
            .subcommand(command("help").arity(2).flags(LOADING, STALE).since("6.2.0").summary("Returns helpful text about the different subcommands.")
                .handler(ctx -> Help.reply(ctx, "PUBSUB",
                    "CHANNELS [<pattern>]",
                    "    Return the currently active channels matching a <pattern> (default: '*').",
                    "NUMPAT",
                    "    Return number of subscriptions to patterns.",
                    "NUMSUB [<channel> ...]",
                    "    Return the number of subscribers for the specified channels, excluding",
                    "    pattern subscriptions(default: no channels).",
                    "SHARDCHANNELS [<pattern>]",
                    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                    "SHARDNUMSUB [<shardchannel> ...]",
                    "    Return the number of subscribers for the specified shard level channel(s)")))
            .build());
  }

  /** Every connection's channels (or patterns, or shard channels), each once. */
  private static Set<String> active(CommandContext ctx, Function<ClientSession, Set<String>> kind) {
    Set<String> all = new LinkedHashSet<>();
    if (ctx.server() != null) {
      for (ClientSession s : ctx.server().clients()) {
        all.addAll(kind.apply(s));
      }
    } else {
      all.addAll(kind.apply(ctx.session()));
    }
    return all;
  }

  private static void channels(CommandContext ctx, Function<ClientSession, Set<String>> kind) {
    if (ctx.argc() > 3) {
      throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + ctx.argCString(1)
          + "'. Try PUBSUB HELP.");
    }
    byte[] pattern = ctx.argc() == 3 ? ctx.arg(2) : null;
    List<String> matching = new ArrayList<>();
    for (String channel : active(ctx, kind)) {
      if (pattern == null || GlobMatcher.matches(pattern, latin1(channel), false)) {
        matching.add(channel);
      }
    }
    ctx.reply().arrayHeader(matching.size());
    for (String channel : matching) {
      ctx.reply().bulk(latin1(channel));
    }
  }

  private static void numsub(CommandContext ctx, Function<ClientSession, Set<String>> kind) {
    List<ClientSession> sessions = new ArrayList<>();
    if (ctx.server() != null) {
      sessions.addAll(ctx.server().clients());
    } else {
      sessions.add(ctx.session());
    }
    ctx.reply().arrayHeader((ctx.argc() - 2) * 2);
    for (int i = 2; i < ctx.argc(); i++) {
      String channel = ctx.argString(i);
      int subscribers = 0;
      for (ClientSession s : sessions) {
        if (kind.apply(s).contains(channel)) {
          subscribers++;
        }
      }
      ctx.reply().bulk(ctx.arg(i));
      ctx.reply().integer(subscribers);
    }
  }

  private static void subscribe(CommandContext ctx) {
    subscribe(ctx, ctx.session().subscriptions(), "subscribe");
  }

  private static void psubscribe(CommandContext ctx) {
    subscribe(ctx, ctx.session().patterns(), "psubscribe");
  }

  private static void unsubscribe(CommandContext ctx) {
    unsubscribe(ctx, ctx.session().subscriptions(), "unsubscribe");
  }

  private static void punsubscribe(CommandContext ctx) {
    unsubscribe(ctx, ctx.session().patterns(), "punsubscribe");
  }

  private static void subscribe(CommandContext ctx, Set<String> subs, String kind) {
    for (int i = 1; i < ctx.argc(); i++) {
      String channel = ctx.argString(i);
      subs.add(channel);
      confirm(ctx.reply(), kind, channel, count(ctx, kind));
    }
  }

  /** The count a (un)subscribe confirms: shard channels count apart from channels and patterns, as in Redis. */
  private static int count(CommandContext ctx, String kind) {
    return kind.equals("ssubscribe") || kind.equals("sunsubscribe") ? ctx.session().shardSubscriptions().size()
        : ctx.session().subscriptionCount();
  }

  private static void unsubscribe(CommandContext ctx, Set<String> subs, String kind) {
    List<String> channels = new ArrayList<>();
    if (ctx.argc() == 1) {
      channels.addAll(subs);
    } else {
      for (int i = 1; i < ctx.argc(); i++) {
        channels.add(ctx.argString(i));
      }
    }
    if (channels.isEmpty()) {
      ctx.reply().pushHeader(3);
      ctx.reply().bulk(kind);
      ctx.reply().nullBulk();
      ctx.reply().integer(count(ctx, kind));
      return;
    }
    for (String channel : channels) {
      subs.remove(channel);
      confirm(ctx.reply(), kind, channel, count(ctx, kind));
    }
  }

  private static void confirm(RespWriter out, String kind, String channel, int count) {
    out.pushHeader(3);
    out.bulk(kind);
    out.bulk(latin1(channel));
    out.integer(count);
  }

  /**
   * A channel or pattern name as the client sent it: names are kept as ISO-8859-1 strings (one char
   * per byte, see {@link io.kaiware.command.CommandContext#argString}), so they go back out as those
   * bytes, not re-encoded (a UTF-8 or binary name round-trips).
   */
  public static byte[] latin1(String name) {
    return name.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Writes a published message as a push (RESP3) or an array (RESP2). */
  public static void message(RespWriter out, String channel, byte[] payload) {
    out.pushHeader(3);
    out.bulk("message");
    out.bulk(latin1(channel));
    out.bulk(payload);
  }

  /** Writes a shard channel's message: {@code smessage <channel> <payload>}. */
  public static void smessage(RespWriter out, String channel, byte[] payload) {
    out.pushHeader(3);
    out.bulk("smessage");
    out.bulk(latin1(channel));
    out.bulk(payload);
  }

  /** Writes a message to a pattern subscriber: {@code pmessage <pattern> <channel> <payload>}. */
  public static void pmessage(RespWriter out, String pattern, String channel, byte[] payload) {
    out.pushHeader(4);
    out.bulk("pmessage");
    out.bulk(latin1(pattern));
    out.bulk(latin1(channel));
    out.bulk(payload);
  }
}
