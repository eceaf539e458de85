package io.gossipcache.core;

import io.gossipcache.core.placement.Segments;
import io.gossipcache.core.replication.Message;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.KeyHash;
import java.util.List;

/**
 * Answers other members' reads of partitioned caches (on the inbound thread, after the writes the reader sent
 * before): with what this member holds for the key, and whether it holds the key's whole segment.
 */
final class ReadAnswers {

    private final EngineStores stores;
    private final Partitions partitions;

    ReadAnswers(EngineStores stores, Partitions partitions) {
        this.stores = stores;
        this.partitions = partitions;
    }

    Message.GetReply answer(Message.Get get) {
        int owners = stores.owners(get.cache());
        Write found = owners < 0 ? null : stores.lookup(get.cache(), get.key());
        boolean holds = owners >= 0 && partitions.servesLocally(owners, Segments.of(KeyHash.of(get.key())));
        return new Message.GetReply(get.id(), holds, found == null ? List.of() : List.of(found));
    }
}
