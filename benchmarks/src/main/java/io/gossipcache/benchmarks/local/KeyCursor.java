package io.gossipcache.benchmarks.local;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/** One benchmark thread's position in a shuffled array of {@link LocalGetBenchmark#KEYS} lookup keys. */
@State(Scope.Thread)
public class KeyCursor {

    private int next;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
        // Threads start at evenly spread offsets so that they do not read the same keys in lockstep.
        next = (int) ((long) thread.getThreadIndex() * LocalGetBenchmark.KEYS / thread.getThreadCount());
    }

    int next() {
        int i = next;
        next = i + 1 == LocalGetBenchmark.KEYS ? 0 : i + 1;
        return i;
    }
}
