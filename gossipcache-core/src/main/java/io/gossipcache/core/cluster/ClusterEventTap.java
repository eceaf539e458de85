package io.gossipcache.core.cluster;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.stack.Protocol;

/** Sits at the top of the stack and reports suspicions, which JGroups does not pass to a receiver. */
final class ClusterEventTap extends Protocol {

    private final Consumer<Address> onSuspect;

    ClusterEventTap(Consumer<Address> onSuspect) {
        this.onSuspect = onSuspect;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object up(Event evt) {
        if (evt.getType() == Event.SUSPECT) {
            Object arg = evt.arg();
            Collection<Address> suspects = arg instanceof Address a ? List.of(a) : (Collection<Address>) arg;
            suspects.forEach(onSuspect);
        }
        return up_prot.up(evt);
    }
}
