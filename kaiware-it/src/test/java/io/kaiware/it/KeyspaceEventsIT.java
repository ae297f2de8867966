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
 * Keyspace notifications on a real server (a durable one-member Raft group): a Jedis subscriber
 * hears the {@code __keyspace@}/{@code __keyevent@} messages of writes applied through the log and
 * the {@code expired} event of the active expiry, in Redis's order.
 */
class KeyspaceEventsIT {

  @RegisterExtension
  static final KaiwareServerExtension kaiware = new KaiwareServerExtension();

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void subscriberHearsWritesAndExpiry() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    CountDownLatch subscribed = new CountDownLatch(1);
    CountDownLatch expired = new CountDownLatch(1);
    JedisPubSub listener = new JedisPubSub() {
      @Override
      public void onPSubscribe(String pattern, int count) {
        subscribed.countDown();
      }

      @Override
      public void onPMessage(String pattern, String channel, String message) {
        heard.add(channel + " " + message);
        if (channel.equals("__keyevent@0__:expired")) {
          expired.countDown();
          punsubscribe();
        }
      }
    };
    try (Jedis admin = new Jedis("127.0.0.1", kaiware.port())) {
      assertThat(admin.configSet("notify-keyspace-events", "KEA")).isEqualTo("OK");
      assertThat(admin.configGet("notify-keyspace-events")).containsEntry("notify-keyspace-events", "AKE");
    }
    Thread subscriber = Thread.ofPlatform().start(() -> {
      try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
        jedis.psubscribe(listener, "__key*__:*");
      }
    });
    assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
    try (Jedis r = new Jedis("127.0.0.1", kaiware.port())) {
      r.set("foo", "bar");
      r.lpush("l", "a");
      r.rpop("l");
      r.del("foo", "missing");
      r.psetex("gone", 100, "x"); // reclaimed by the active expiry (nobody reads it)
      assertThat(expired.await(10, TimeUnit.SECONDS)).isTrue();
    }
    subscriber.join(5_000);
    assertThat(heard).containsExactly(
        "__keyspace@0__:foo set", "__keyevent@0__:set foo",
        "__keyspace@0__:l lpush", "__keyevent@0__:lpush l",
        "__keyspace@0__:l rpop", "__keyevent@0__:rpop l",
        "__keyspace@0__:l del", "__keyevent@0__:del l",
        "__keyspace@0__:foo del", "__keyevent@0__:del foo",
        "__keyspace@0__:gone set", "__keyevent@0__:set gone",
        "__keyspace@0__:gone expire", "__keyevent@0__:expire gone",
        "__keyspace@0__:gone expired", "__keyevent@0__:expired gone");
  }

  /** A non-ASCII (UTF-8) key: channel names go out as the key's bytes, matched as bytes. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void utf8KeysKeepTheirBytesInChannelNames() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    CountDownLatch subscribed = new CountDownLatch(2);
    CountDownLatch done = new CountDownLatch(2);
    JedisPubSub listener = new JedisPubSub() {
      @Override
      public void onSubscribe(String channel, int count) {
        heard.add("subscribe " + channel);
        subscribed.countDown();
      }

      @Override
      public void onPSubscribe(String pattern, int count) {
        heard.add("psubscribe " + pattern);
        subscribed.countDown();
      }

      @Override
      public void onMessage(String channel, String message) {
        heard.add(channel + " " + message);
        done.countDown();
      }

      @Override
      public void onPMessage(String pattern, String channel, String message) {
        heard.add(pattern + " " + channel + " " + message);
        done.countDown();
      }
    };
    try (Jedis admin = new Jedis("127.0.0.1", kaiware.port())) {
      admin.configSet("notify-keyspace-events", "K$");
    }
    Thread subscriber = Thread.ofPlatform().start(() -> {
      try (Jedis jedis = new Jedis("127.0.0.1", kaiware.port())) {
        jedis.subscribe(listener, "__keyspace@0__:ключ");
      }
    });
    Thread.sleep(200);
    listener.psubscribe("__keyspace@0__:кл*");
    assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
    try (Jedis r = new Jedis("127.0.0.1", kaiware.port())) {
      r.set("ключ", "значение");
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
    listener.punsubscribe();
    listener.unsubscribe();
    subscriber.join(5_000);
    assertThat(heard).containsExactlyInAnyOrder("subscribe __keyspace@0__:ключ", "psubscribe __keyspace@0__:кл*",
        "__keyspace@0__:ключ set", "__keyspace@0__:кл* __keyspace@0__:ключ set");
  }
}
