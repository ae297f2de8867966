package io.kaiware.dns.jvm;

import io.kaiware.dns.resolver.HostsFile;
import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.resolver.ResolverConfig;
import io.kaiware.dns.select.AddressPolicy;
import io.kaiware.dns.select.AddressSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Makes every {@code InetAddress} lookup of the JVM go through {@link KaiwareResolver} (JEP 418,
 * JDK 18+). Opt-in: with the jar on the class path nothing changes until the JVM is started with
 * {@code -Dio.kaiware.dns.jvm=true}; without it {@link #get} hands back the JDK's built-in resolver.
 *
 * <h2>Switches (system properties, read once when the JDK loads the provider)</h2>
 * <ul>
 *   <li>{@value #ENABLE_PROPERTY} = {@code true}: turn it on.</li>
 *   <li>{@value #RESOLV_CONF_PROPERTY}: the resolv.conf to read (default {@code /etc/resolv.conf}),
 *   re-read when it changes.</li>
 *   <li>{@value #HOSTS_PROPERTY}: the hosts file consulted first (default {@code /etc/hosts}).</li>
 *   <li>{@value #POLICY_PROPERTY}: address order, {@code rfc6724} (default), {@code rfc6724-strict},
 *   {@code glibc}, {@code random} or {@code round-robin}. The JDK still caches each lookup
 *   ({@code networkaddress.cache.ttl}, 30 s) and keeps its order: lower it for {@code random} and
 *   {@code round-robin} to act per connection.</li>
 * </ul>
 *
 * <h2>The dnsjava trap</h2>
 * The JDK asks {@link ServiceLoader} for the <em>first</em> provider on the class path and uses it
 * alone. dnsjava (a dependency of this module) ships its own provider, which returns the built-in
 * resolver unless {@code org.dnsjava.spi.enable=true}. If the dnsjava jar comes before this one on
 * the class path, the JVM silently keeps the built-in resolver, whatever {@value #ENABLE_PROPERTY}
 * says. Put kaiware-dns first (Maven: declare it before anything that brings dnsjava; fat jars:
 * merge service files with this entry first), and call {@link #requireInstalled()} at start-up so a
 * wrong order fails loudly instead of silently.
 */
public final class KaiwareInetAddressResolverProvider extends InetAddressResolverProvider {
  public static final String ENABLE_PROPERTY = "io.kaiware.dns.jvm";
  public static final String RESOLV_CONF_PROPERTY = "io.kaiware.dns.jvm.resolvConf";
  public static final String HOSTS_PROPERTY = "io.kaiware.dns.jvm.hosts";
  public static final String POLICY_PROPERTY = "io.kaiware.dns.jvm.policy";

  /** The resolver the JDK obtained from this provider, or null when it never asked or it is disabled. */
  private static volatile KaiwareInetAddressResolver installed;

  public KaiwareInetAddressResolverProvider() {}

  @Override
  public InetAddressResolver get(Configuration configuration) {
    if (!Boolean.getBoolean(ENABLE_PROPERTY)) return configuration.builtinResolver();
    try {
      KaiwareResolver resolver = KaiwareResolver.fromResolvConf(
          Path.of(System.getProperty(RESOLV_CONF_PROPERTY, "/etc/resolv.conf")), ResolverConfig.builder());
      AddressPolicy policy = AddressPolicy.parse(System.getProperty(POLICY_PROPERTY, "rfc6724"));
      KaiwareInetAddressResolver r = new KaiwareInetAddressResolver(resolver, AddressSelector.of(policy),
          new HostsFile(Path.of(System.getProperty(HOSTS_PROPERTY, "/etc/hosts"))), configuration.builtinResolver());
      installed = r;
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("kaiware-dns: cannot read resolv.conf", e);
    }
  }

  @Override
  public String name() {
    return "kaiware-dns";
  }

  /** True when the JDK is resolving names through kaiware-dns (after its first lookup). */
  public static boolean isInstalled() {
    return installed != null;
  }

  /** The resolver in use, when {@link #isInstalled()}. */
  public static KaiwareResolver resolver() {
    KaiwareInetAddressResolver r = installed;
    return r == null ? null : r.resolver();
  }

  /**
   * Fails when {@value #ENABLE_PROPERTY} is on but the JDK chose another provider (the dnsjava
   * trap) or none. Makes the JDK load its resolver first (a lookup of {@code localhost}, answered
   * from the hosts file) so it can be called at any time.
   *
   * @throws IllegalStateException naming the providers in the order the JDK saw them
   */
  public static void requireInstalled() {
    if (!Boolean.getBoolean(ENABLE_PROPERTY)) {
      throw new IllegalStateException("kaiware-dns JVM resolver not enabled: start the JVM with -D" + ENABLE_PROPERTY + "=true");
    }
    try {
      // The first name lookup makes the JDK load its resolver; localhost comes from the hosts file.
      InetAddress.getAllByName("localhost");
    } catch (IOException e) {
      // the check below still tells whether the provider was chosen
    }
    if (installed == null) {
      throw new IllegalStateException("-D" + ENABLE_PROPERTY + "=true but the JDK chose another resolver provider."
          + " Providers in class path order (the JDK uses the first): " + providerNames()
          + ". Put the kaiware-dns jar before dnsjava on the class path.");
    }
  }

  /** The {@link InetAddressResolverProvider}s visible to the system class loader, in the order the JDK sees them. */
  public static List<String> providerNames() {
    List<String> names = new ArrayList<>();
    for (ServiceLoader.Provider<InetAddressResolverProvider> p
        : ServiceLoader.load(InetAddressResolverProvider.class, ClassLoader.getSystemClassLoader()).stream().toList()) {
      names.add(p.type().getName());
    }
    return names;
  }
}
