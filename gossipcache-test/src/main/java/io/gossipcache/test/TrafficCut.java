package io.gossipcache.test;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.protocols.TP;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.NameCache;

/**
 * Drops every message from members with the given node names, as a network split does: connections stay open,
 * messages vanish. By name, not by address, so that a member that restarts (with a new address) stays on its side.
 * Sits just above the transport of each test member.
 */
final class TrafficCut extends Protocol {

    private final Set<String> droppedFrom = ConcurrentHashMap.newKeySet();

    /** Inserts a cut into a channel's stack, above the transport. */
    static TrafficCut insertInto(ProtocolStack stack) {
        TrafficCut cut = new TrafficCut();
        try {
            stack.insertProtocol(cut, ProtocolStack.Position.ABOVE, TP.class);
        } catch (Exception e) {
            throw new IllegalStateException("could not insert the test kit's traffic cut into the JGroups stack", e);
        }
        return cut;
    }

    void dropFrom(Collection<String> nodeNames) {
        droppedFrom.clear();
        droppedFrom.addAll(nodeNames);
    }

    void reset() {
        droppedFrom.clear();
    }

    private boolean dropped(Address sender) {
        if (sender == null || droppedFrom.isEmpty()) {
            return false;
        }
        String name = NameCache.get(sender); // JVM-wide: every member of the cluster registers its name there
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
