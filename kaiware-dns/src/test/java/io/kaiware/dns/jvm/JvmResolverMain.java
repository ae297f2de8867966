package io.kaiware.dns.jvm;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Runs in a child JVM for {@link KaiwareInetAddressResolverProviderTest} (the JDK picks its resolver
 * once per JVM). Prints one {@code key value} line per fact. Arguments: names to resolve.
 */
public final class JvmResolverMain {
  private JvmResolverMain() {}

  public static void main(String[] args) {
    System.out.println("providers " + KaiwareInetAddressResolverProvider.providerNames());
    try {
      KaiwareInetAddressResolverProvider.requireInstalled();
      System.out.println("require ok");
    } catch (IllegalStateException e) {
      System.out.println("require failed: " + e.getMessage());
    }
    System.out.println("installed " + KaiwareInetAddressResolverProvider.isInstalled());
    for (String name : args) {
      try {
        InetAddress[] all = InetAddress.getAllByName(name);
        System.out.println("resolved " + name + " "
            + Arrays.stream(all).map(InetAddress::getHostAddress).collect(Collectors.joining(",")));
      } catch (UnknownHostException e) {
        System.out.println("unknown " + name);
      }
    }
    System.out.flush();
    System.exit(0);
  }
}
