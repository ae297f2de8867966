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
 * SUBSCRIBE, UNSUBSCRIBE, PUBLISH: channel messages on one server, enough for Sentinel clients to
 * hear {@code +switch-master} (see {@code SentinelCommands}). Messages are not replicated and not
 * forwarded between members (unlike Redis Cluster's PUBLISH); patterns are not supported.
 */
public final class PubSubCommands {
  private PubSubCommands() {}

  /** Commands a RESP2 connection may send while it has subscriptions (Redis's rule). */
  public static final Set<String> ALLOWED_WHILE_SUBSCRIBED = Set.of("subscribe", "unsubscribe", "ping", "quit", "reset");

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
        command("publish").arity(3).flags(PUBSUB, LOADING, STALE, FAST).group("pubsub").since("2.0.0")
            .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel.")
            .summary("Posts a message to a channel on this server; returns the number of subscribers that received it.")
            .handler(ctx -> ctx.reply().integer(ctx.server() == null ? 0 : ctx.server().publish(ctx.argString(1), ctx.arg(2))))
            .build());
  }

  private static void subscribe(CommandContext ctx) {
    Set<String> subs = ctx.session().subscriptions();
    for (int i = 1; i < ctx.argc(); i++) {
      String channel = ctx.argString(i);
      subs.add(channel);
      confirm(ctx.reply(), "subscribe", channel, subs.size());
    }
  }

  private static void unsubscribe(CommandContext ctx) {
    Set<String> subs = ctx.session().subscriptions();
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
      ctx.reply().bulk("unsubscribe");
      ctx.reply().nullBulk();
      ctx.reply().integer(0);
      return;
    }
    for (String channel : channels) {
      subs.remove(channel);
      confirm(ctx.reply(), "unsubscribe", channel, subs.size());
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
}
