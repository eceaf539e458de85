package io.gossipcache.core.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Batches writes into messages of at most {@value #MAX_WRITES} writes or about {@value #MAX_BYTES} bytes (far below
 * the transport's frame bound) and sends each batch as it fills: how anti-entropy entries and state chunks travel.
 * One per transfer; used by one thread.
 */
public final class ChunkedSender implements Consumer<Write> {

    /** Writes per message at most. */
    public static final int MAX_WRITES = 1_000;
    /** Estimated bytes per message at most (512 KiB). */
    public static final int MAX_BYTES = 512 * 1024;

    /** Sends one batch. The list is reused once it returns: a sink encodes it, it does not keep it. */
    @FunctionalInterface
    public interface Sink {
        void send(List<Write> batch) throws Exception;
    }

    private final Sink sink;
    private final List<Write> batch = new ArrayList<>();
    private int bytes;
    private long total;

    public ChunkedSender(Sink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Adds a write (none for {@code null}), sending the batch once it is full. */
    @Override
    public void accept(Write write) {
        if (write == null) {
            return;
        }
        batch.add(write);
        bytes += write.encodedSizeEstimate();
        if (batch.size() >= MAX_WRITES || bytes >= MAX_BYTES) {
            flush();
        }
    }

    /**
     * Sends what is collected, if anything.
     *
     * @throws IllegalStateException when the sink could not send it
     */
    public void flush() {
        if (batch.isEmpty()) {
            return;
        }
        try {
            sink.send(batch);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + batch.size() + " writes: " + e, e);
        }
        total += batch.size();
        batch.clear();
        bytes = 0;
    }

    /** Writes sent so far. */
    public long total() {
        return total;
    }
}
