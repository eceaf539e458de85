package io.gossipcache.core;

import io.gossipcache.core.placement.Segments;
import io.gossipcache.core.replication.Message;
import io.gossipcache.core.replication.Write;
import io.gossipcache.core.store.KeyHash;
import java.util.List;
import org.jgroups.Address;

/**
 * Answers other members' reads of partitioned caches (on the inbound thread, after the writes the reader sent
 * before): with what this member holds for the key, and whether it holds the key's whole segment; a reader with a
 * near cache is recorded, to be told of the key's next write.
 */
final class ReadAnswers {

    private final EngineStores stores;
    private final Partitions partitions;
    private final ReadInterest interest;

    ReadAnswers(EngineStores stores, Partitions partitions, ReadInterest interest) {
        this.stores = stores;
        this.partitions = partitions;
        this.interest = interest;
    }

    Message.GetReply answer(Address reader, Message.Get get) {
        int owners = stores.owners(get.cache());
        boolean holds = owners >= 0 && partitions.servesLocally(owners, Segments.of(KeyHash.of(get.key())));
        Object key = owners < 0 ? null : stores.decodeKey(get.key());
        if (key == null) {
            return new Message.GetReply(get.id(), holds, List.of());
        }
        if (get.trackMillis() > 0 && holds) {
            // before the lookup: a write after it finds the reader (one before it is in the answer)
            interest.record(get.cache(), key, get.key(), reader, get.trackMillis());
        }
        Write found = stores.current(get.cache(), key);
        return new Message.GetReply(get.id(), holds, found == null ? List.of() : List.of(found));
    }
}
