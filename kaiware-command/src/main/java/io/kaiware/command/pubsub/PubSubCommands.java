package io.kaiware.command.pubsub;

import static io.kaiware.command.CommandFlag.FAST;
import static io.kaiware.command.CommandFlag.LOADING;
import static io.kaiware.command.CommandFlag.NOSCRIPT;
import static io.kaiware.command.CommandFlag.PUBSUB;
import static io.kaiware.command.CommandFlag.STALE;
import static io.kaiware.command.CommandSpec.command;

import io.kaiware.command.CommandContext;
import io.kaiware.command.CommandSpec;
import io.kaiware.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SUBSCRIBE, PSUBSCRIBE, their UNSUBSCRIBEs and PUBLISH: messages on one server, enough for Sentinel
 * clients to hear {@code +switch-master} (see {@code SentinelCommands}) — Jedis SUBSCRIBEs to that
 * channel, Lettuce's MasterReplica PSUBSCRIBEs to {@code *}. Messages are not replicated and not
 * forwarded between members (unlike Redis Cluster's PUBLISH). Patterns are Redis's globs
 * ({@code GlobMatcher}); a subscriber whose channel and pattern both match gets both messages, as
 * in Redis.
 */
public final class PubSubCommands {
  private PubSubCommands() {}

  /** Commands a RESP2 connection may send while it has subscriptions (Redis's rule). */
  public static final Set<String> ALLOWED_WHILE_SUBSCRIBED = Set.of("subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ping",
      "quit", "reset");

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
        command("publish").arity(3).flags(PUBSUB, LOADING, STALE, FAST).group("pubsub").since("2.0.0")
            .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel.")
            .summary("Posts a message to a channel on this server; returns the number of subscribers that received it.")
            .handler(ctx -> ctx.reply().integer(ctx.server() == null ? 0 : ctx.server().publish(ctx.argString(1), ctx.arg(2))))
            .build());
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
      confirm(ctx.reply(), kind, channel, ctx.session().subscriptionCount());
    }
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
      ctx.reply().integer(ctx.session().subscriptionCount());
      return;
    }
    for (String channel : channels) {
      subs.remove(channel);
      confirm(ctx.reply(), kind, channel, ctx.session().subscriptionCount());
    }
  }

  private static void confirm(RespWriter out, String kind, String channel, int count) {
    out.pushHeader(3);
    out.bulk(kind);
    out.bulk(channel);
    out.integer(count);
  }

  /** Writes a published message as a push (RESP3) or an array (RESP2). */
  public static void message(RespWriter out, String channel, byte[] payload) {
    out.pushHeader(3);
    out.bulk("message");
    out.bulk(channel);
    out.bulk(payload);
  }

  /** Writes a message to a pattern subscriber: {@code pmessage <pattern> <channel> <payload>}. */
  public static void pmessage(RespWriter out, String pattern, String channel, byte[] payload) {
    out.pushHeader(4);
    out.bulk("pmessage");
    out.bulk(pattern);
    out.bulk(channel);
    out.bulk(payload);
  }
}
