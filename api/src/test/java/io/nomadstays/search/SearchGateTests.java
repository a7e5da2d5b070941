package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** {@link SearchGate}: how many searches go in, in which order the others follow. */
class SearchGateTests {

    private final List<String> started = new ArrayList<>();

    private BooleanSupplier search(String name) {
        return () -> {
            started.add(name);
            return true;
        };
    }

    @Test
    void letsTheLimitInAndTheOthersFollowInTheOrderTheyCame() {
        SearchGate gate = new SearchGate(2);
        gate.enter(search("a"));
        gate.enter(search("b"));
        gate.enter(search("c"));
        gate.enter(search("d"));

        assertThat(started).containsExactly("a", "b");
        assertThat(gate.inside()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(2);

        gate.leave();
        assertThat(started).containsExactly("a", "b", "c");
        gate.leave();
        assertThat(started).containsExactly("a", "b", "c", "d");
        assertThat(gate.inside()).isEqualTo(2);
        assertThat(gate.waiting()).isZero();

        gate.leave();
        gate.leave();
        assertThat(gate.inside()).isZero();
        gate.enter(search("e"));
        assertThat(started).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void aSearchGivenUpWhileItWaitedPassesItsPlaceOn() {
        SearchGate gate = new SearchGate(1);
        gate.enter(search("a"));
        gate.enter(() -> false);
        gate.enter(() -> false);
        gate.enter(search("d"));

        gate.leave();
        assertThat(started).containsExactly("a", "d");
        assertThat(gate.inside()).isEqualTo(1);
        assertThat(gate.waiting()).isZero();

        gate.leave();
        gate.enter(() -> false);
        assertThat(gate.inside()).isZero();
    }

    @Test
    void neverHasMoreThanTheLimitInsideUnderContention() throws Exception {
        SearchGate gate = new SearchGate(3);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService finish = Executors.newFixedThreadPool(4);
        ExecutorService arrive = Executors.newFixedThreadPool(4);
        int searches = 2_000;
        CountDownLatch all = new CountDownLatch(searches);
        try {
            for (int i = 0; i < searches; i++) {
                arrive.execute(() -> gate.enter(() -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    // Its answer comes back on another thread, as Elasticsearch's does.
                    finish.execute(() -> {
                        inside.decrementAndGet();
                        done.incrementAndGet();
                        gate.leave();
                        // Counted down after leaving, so the gate is empty once the last one is.
                        all.countDown();
                    });
                    return true;
                }));
            }
            assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            arrive.shutdownNow();
            finish.shutdownNow();
        }
        assertThat(done).hasValue(searches);
        assertThat(most.get()).isBetween(1, 3);
        assertThat(gate.inside()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void letsAtLeastOneIn() {
        assertThatThrownBy(() -> new SearchGate(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
