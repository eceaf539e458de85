package io.gossipcache.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridClockTest {

    private final AtomicLong wall = new AtomicLong(1_000_000);
    private final HybridClock clock = new HybridClock(wall::get);

    @Test
    void ticksIncreaseWithinOneMillisecond() {
        long first = clock.tick();
        long second = clock.tick();
        assertThat(second).isGreaterThan(first);
        assertThat(HybridClock.physicalMillis(second)).isEqualTo(1_000_000);
        assertThat(HybridClock.logical(second)).isEqualTo(HybridClock.logical(first) + 1);
    }

    @Test
    void followsTheWallClockForward() {
        clock.tick();
        wall.set(2_000_000);
        long t = clock.tick();
        assertThat(HybridClock.physicalMillis(t)).isEqualTo(2_000_000);
        assertThat(HybridClock.logical(t)).isZero();
    }

    @Test
    void neverGoesBackWhenTheWallClockDoes() {
        long before = clock.tick();
        wall.set(500_000); // NTP stepped the clock back
        assertThat(clock.tick()).isGreaterThan(before);
    }

    @Test
    void writesAfterObservingARemoteWriteOrderAfterIt() {
        // a member whose wall clock is 10 s ahead wrote first
        long remote = HybridClock.fromMillis(1_010_000) + 7;
        clock.observe(remote);
        assertThat(clock.tick()).isGreaterThan(remote);
    }

    @Test
    void logicalOverflowCarriesIntoMillisecondsAndStaysMonotonic() {
        long previous = clock.tick();
        for (int i = 0; i < 70_000; i++) {
            long t = clock.tick();
            assertThat(t).isGreaterThan(previous);
            previous = t;
        }
        assertThat(HybridClock.physicalMillis(previous)).isEqualTo(1_000_001);
    }

    @Test
    void concurrentTicksAreUnique() throws InterruptedException {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    seen.add(clock.tick());
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(40_000);
    }

    @Test
    void versionsOrderByTimestampThenNode() {
        Version older = new Version(10, 99);
        Version newer = new Version(11, 1);
        Version tieLow = new Version(11, 0);
        assertThat(newer.isNewerThan(older)).isTrue();
        assertThat(newer.isNewerThan(tieLow)).isTrue();
        assertThat(tieLow.isNewerThan(newer)).isFalse();
        assertThat(newer.compareTo(new Version(11, 1))).isZero();
        assertThat(Version.ZERO.compareTo(older)).isNegative();
    }
}
