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
}
