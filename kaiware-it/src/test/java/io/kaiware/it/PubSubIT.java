package io.kaiware.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * SUBSCRIBE and PSUBSCRIBE through Jedis's JedisPubSub: PUBLISH reaches channel and pattern
 * subscribers (one message per match, counted in PUBLISH's reply), and the subscription counts
 * add channels and patterns. Lettuce's MasterReplica needs {@code PSUBSCRIBE *} on each sentinel
 * (ClientFailoverIT).
 */
class PubSubIT {

  @RegisterExtension
  static final KaiwareServerExtension kaiware = new KaiwareServerExtension();

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void channelAndPatternSubscribersHearPublish() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    List<Integer> counts = new CopyOnWriteArrayList<>();
    CountDownLatch subscribed = new CountDownLatch(3);
    CountDownLatch done = new CountDownLatch(1);
    JedisPubSub listener = new JedisPubSub() {
      @Override
      public void onSubscribe(String channel, int count) {
        counts.add(count);
        subscribed.countDown();
        psubscribe("news.*", "*");
      }

      @Override
      public void onPSubscribe(String pattern, int count) {
        counts.add(count);
        subscribed.countDown();
      }

      @Override
      public void onPUnsubscribe(String pattern, int count) {
        counts.add(count);
      }

      @Override
      public void onMessage(String channel, String message) {
        heard.add("message " + channel + " " + message);
      }

      @Override
      public void onPMessage(String pattern, String channel, String message) {
        heard.add("pmessage " + pattern + " " + channel + " " + message);
        if (message.equals("last")) {
          punsubscribe("*");
          punsubscribe("news.*");
          unsubscribe();
        }
      }
    };
    Thread subscriber = Thread.ofPlatform().start(() -> {
      try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
        jedis.subscribe(listener, "news.a");
      } finally {
        done.countDown();
      }
    });
    assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
    try (Jedis publisher = new Jedis("127.0.0.1", kaiware.port())) {
      assertThat(publisher.publish("news.a", "1")).isEqualTo(3); // the channel and both patterns
      assertThat(publisher.publish("news.b", "2")).isEqualTo(2);
      assertThat(publisher.publish("other", "3")).isEqualTo(1);
      assertThat(publisher.publish("other", "last")).isEqualTo(1);
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    subscriber.join(5_000);
    assertThat(counts).startsWith(1, 2, 3).contains(2, 1);
    assertThat(heard).containsExactlyInAnyOrder(
        "message news.a 1", "pmessage news.* news.a 1", "pmessage * news.a 1",
        "pmessage news.* news.b 2", "pmessage * news.b 2",
        "pmessage * other 3", "pmessage * other last");
  }

  /** PUBSUB's views of who listens, and Redis 7's shard channels (SSUBSCRIBE/SPUBLISH): a namespace of their own. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void pubsubCountsSubscribersAndShardChannelsAreApart() throws Exception {
    CountDownLatch ready = new CountDownLatch(4);
    CountDownLatch done = new CountDownLatch(2);
    List<String> heard = new CopyOnWriteArrayList<>();
    JedisPubSub plain = new JedisPubSub() {
      @Override
      public void onSubscribe(String channel, int count) {
        ready.countDown();
        if (count == 2) {
          psubscribe("p*");
        }
      }

      @Override
      public void onPSubscribe(String pattern, int count) {
        ready.countDown();
      }

      @Override
      public void onMessage(String channel, String message) {
        heard.add("message " + channel + " " + message);
      }
    };
    redis.clients.jedis.JedisShardedPubSub sharded = new redis.clients.jedis.JedisShardedPubSub() {
      @Override
      public void onSSubscribe(String channel, int count) {
        heard.add("ssubscribe " + channel + " " + count);
        ready.countDown();
      }

      @Override
      public void onSMessage(String channel, String message) {
        heard.add("smessage " + channel + " " + message);
        sunsubscribe();
      }
    };
    Thread.ofPlatform().start(() -> {
      try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
        jedis.subscribe(plain, "ch1", "ch2");
      } finally {
        done.countDown();
      }
    });
    Thread.ofPlatform().start(() -> {
      try (redis.clients.jedis.Connection connection = new redis.clients.jedis.Connection("127.0.0.1", kaiware.port())) {
        sharded.proceed(connection, "sch");
      } finally {
        done.countDown();
      }
    });
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
      assertThat(jedis.pubsubChannels()).containsExactlyInAnyOrder("ch1", "ch2");
      assertThat(jedis.pubsubChannels("*1")).containsExactly("ch1");
      assertThat(jedis.pubsubNumSub("ch1", "nobody")).containsEntry("ch1", 1L).containsEntry("nobody", 0L);
      assertThat(jedis.pubsubNumPat()).isEqualTo(1L);
      assertThat(jedis.pubsubShardChannels()).containsExactly("sch");
      assertThat(jedis.pubsubShardNumSub("sch")).containsEntry("sch", 1L);
      assertThat(jedis.publish("sch", "not for shard subscribers")).isZero();
      Object received = jedis.sendCommand(() -> redis.clients.jedis.util.SafeEncoder.encode("SPUBLISH"), "sch", "hi");
      assertThat(received).isEqualTo(1L);
    }
    plain.unsubscribe();
    plain.punsubscribe();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(heard).containsExactly("ssubscribe sch 1", "smessage sch hi");
    try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
      assertThat(jedis.pubsubChannels()).isEmpty();
      assertThat(jedis.pubsubNumPat()).isZero();
      assertThat(jedis.pubsubShardChannels()).isEmpty();
    }
  }
}
