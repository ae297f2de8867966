package io.kaiware.command;

import io.kaiware.command.connection.ConnectionCommands;
import io.kaiware.command.hash.HashCommands;
import io.kaiware.command.keys.KeyCommands;
import io.kaiware.command.list.ListCommands;
import io.kaiware.command.stream.StreamCommands;
import io.kaiware.command.set.SetCommands;
import io.kaiware.command.observe.ObservabilityCommands;
import io.kaiware.command.server.ServerCommands;
import io.kaiware.command.string.StringCommands;
import io.kaiware.command.transaction.TransactionCommands;
import io.kaiware.command.window.RankingCommands;
import io.kaiware.command.window.WindowCommands;
import io.kaiware.command.zset.ZSetCommands;
import java.util.ArrayList;
import java.util.List;

/** The command table every Kaiware server runs: each family contributes its declarations. */
public final class StandardCommands {
  private StandardCommands() {}

  public static CommandTable table() {
    List<CommandSpec> specs = new ArrayList<>();
    specs.addAll(ConnectionCommands.specs());
    specs.addAll(ServerCommands.specs());
    specs.addAll(StringCommands.specs());
    specs.addAll(io.kaiware.command.string.BitCommands.specs());
    specs.addAll(io.kaiware.command.string.BitfieldCommand.specs());
    specs.addAll(io.kaiware.command.hll.HllCommands.specs());
    specs.addAll(KeyCommands.specs());
    specs.addAll(io.kaiware.command.keys.SortCommand.specs());
    specs.addAll(TransactionCommands.specs());
    specs.addAll(ObservabilityCommands.specs());
    specs.addAll(HashCommands.specs());
    specs.addAll(ListCommands.specs());
    specs.addAll(StreamCommands.specs());
    specs.addAll(SetCommands.specs());
    specs.addAll(ZSetCommands.specs());
    specs.addAll(io.kaiware.command.geo.GeoCommands.specs());
    specs.addAll(RankingCommands.specs());
    specs.addAll(WindowCommands.specs());
    specs.addAll(io.kaiware.command.replication.ReplicationCommands.specs());
    specs.addAll(io.kaiware.command.replication.ReplicationStreamCommands.specs());
    specs.addAll(io.kaiware.command.replication.SentinelCommands.specs());
    specs.addAll(io.kaiware.command.pubsub.PubSubCommands.specs());
    specs.addAll(io.kaiware.command.script.ScriptCommands.specs());
    return new CommandTable(specs);
  }
}
