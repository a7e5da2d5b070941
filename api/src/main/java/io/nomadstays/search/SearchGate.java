package io.nomadstays.search;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * At most {@code limit} searches between being sent to Elasticsearch and their GraphQL answer
 * being built; the others wait their turn in the order they came. Under more load than the cores
 * can take, a search that is let in finishes quickly and the rest wait without taking CPU, so the
 * slowest searches wait about as long as the typical one, instead of every search in flight sharing
 * the cores with all the others and the long ones taking longest (docs/benchmarks.md, "A gate in
 * front of Elasticsearch").
 */
final class SearchGate {

    private final int limit;
    private final ArrayDeque<BooleanSupplier> waiting = new ArrayDeque<>();
    private int inside;

    /** @param limit how many searches may be inside at once; at least 1 */
    SearchGate(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a gate lets at least one search in, not " + limit);
        }
        this.limit = limit;
    }

    /**
     * Starts {@code search} now when there is room, else when a search ahead of it {@link #leave}s
     * (on that caller's thread). {@code search} answers whether it went in: a search that did must
     * leave exactly once; one that did not (given up while it waited) leaves its place to the next.
     */
    void enter(BooleanSupplier search) {
        synchronized (this) {
            if (inside >= limit) {
                waiting.addLast(search);
                return;
            }
            inside++;
        }
        if (!search.getAsBoolean()) {
            leave();
        }
    }

    /** A search is done: lets the next waiting one in, on this thread. */
    void leave() {
        while (true) {
            BooleanSupplier next;
            synchronized (this) {
                next = waiting.pollFirst();
                if (next == null) {
                    inside--;
                    return;
                }
            }
            if (next.getAsBoolean()) {
                return;
            }
        }
    }

    synchronized int waiting() {
        return waiting.size();
    }

    synchronized int inside() {
        return inside;
    }
}
