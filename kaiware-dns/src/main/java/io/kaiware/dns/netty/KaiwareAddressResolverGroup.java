package io.kaiware.dns.netty;

import io.kaiware.dns.resolver.KaiwareResolver;
import io.kaiware.dns.select.AddressSelector;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Netty {@link AddressResolverGroup} backed by {@link KaiwareResolver} and an
 * {@link AddressSelector}, for Lettuce ({@code ClientResources.builder().addressResolverGroup(...)})
 * or any Netty {@code Bootstrap.resolver(...)}. Lettuce otherwise resolves with Netty's own
 * {@code DnsAddressResolverGroup}, which stalls on a dead first nameserver like glibc does.
 *
 * <p>{@code resolve} returns the first address of the selector's order, so {@code round-robin} and
 * {@code random} spread new connections; {@code resolveAll} returns them all in that order. Lookups
 * block, so they run on virtual threads and complete the event loop's promise from there: the event
 * loop never waits. Netty dials the one address itself, so the Happy Eyeballs and backoff of
 * {@link io.kaiware.dns.connect.KaiwareConnector} do not apply here.
 */
public final class KaiwareAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {
  private final KaiwareResolver resolver;
  private final AddressSelector selector;
  private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();

  public KaiwareAddressResolverGroup(KaiwareResolver resolver, AddressSelector selector) {
    this.resolver = Objects.requireNonNull(resolver);
    this.selector = Objects.requireNonNull(selector);
  }

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    return new NameResolver(executor, resolver, selector, lookups).asAddressResolver();
  }

  @Override
  public void close() {
    super.close();
    lookups.shutdownNow();
  }

  /** Netty's name-resolver contract over {@link KaiwareResolver}; one per event loop. */
  private static final class NameResolver extends InetNameResolver {
    private final KaiwareResolver resolver;
    private final AddressSelector selector;
    private final Executor lookups;

    NameResolver(EventExecutor executor, KaiwareResolver resolver, AddressSelector selector, Executor lookups) {
      super(executor);
      this.resolver = resolver;
      this.selector = selector;
      this.lookups = lookups;
    }

    @Override
    protected void doResolve(String inetHost, Promise<InetAddress> promise) {
      lookups.execute(() -> {
        try {
          promise.trySuccess(ordered(inetHost).get(0));
        } catch (Exception e) {
          promise.tryFailure(e);
        }
      });
    }

    @Override
    protected void doResolveAll(String inetHost, Promise<List<InetAddress>> promise) {
      lookups.execute(() -> {
        try {
          promise.trySuccess(ordered(inetHost));
        } catch (Exception e) {
          promise.tryFailure(e);
        }
      });
    }

    private List<InetAddress> ordered(String host) throws java.net.UnknownHostException {
      return selector.order(host, resolver.resolveAll(host));
    }
  }
}
