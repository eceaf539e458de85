package io.gossipcache.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.NameCache;

/**
 * Drops every message from members with the given node names, as a network split does (sockets stay open, messages
 * vanish). By name rather than by address, so that a member that restarts or returns from LOCAL mode during a
 * partition (with a new JGroups address) stays on its side of it. Sits just above the transport.
 */
final class NamePartition extends Protocol {

    private final Set<String> droppedFrom = ConcurrentHashMap.newKeySet();

    void dropFrom(java.util.Collection<String> nodeNames) {
        droppedFrom.addAll(nodeNames);
    }

    void reset() {
        droppedFrom.clear();
    }

    private boolean dropped(Address sender) {
        if (sender == null || droppedFrom.isEmpty()) {
            return false;
        }
        String name = NameCache.get(sender); // JVM-wide: every member of a test cluster registers its name there
        return name != null && droppedFrom.contains(name);
    }

    @Override
    public Object up(Message msg) {
        return dropped(msg.getSrc()) ? null : up_prot.up(msg);
    }

    @Override
    public void up(MessageBatch batch) {
        if (dropped(batch.sender())) {
            return;
        }
        batch.removeIf(m -> dropped(m.getSrc()), true);
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }
}
