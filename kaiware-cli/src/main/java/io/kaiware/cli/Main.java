package io.kaiware.cli;

import io.kaiware.command.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kaiware} command: {@code server}, {@code bench}, {@code dns}, {@code --version}. */
@Command(name = "kaiware", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Kaiware: a Redis-compatible, Raft-replicated in-memory store.",
    subcommands = {ServerCommand.class, io.kaiware.bench.BenchCommand.class,
        io.kaiware.dns.cli.DnsCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code kaiware --version}: the build, commit, build time, JDK and GC. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      BuildInfo build = BuildInfo.current();
      return new String[] {
          "kaiware " + build.version(),
          "commit:  " + build.gitCommit() + (build.gitDirty() ? " (dirty)" : ""),
          "built:   " + build.buildTime(),
          "jdk:     " + build.jdk(),
          "gc:      " + build.gc()};
    }
  }
}
