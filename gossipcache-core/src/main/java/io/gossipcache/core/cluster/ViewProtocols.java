package io.gossipcache.core.cluster;

import java.util.HashMap;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.View;

/**
 * The protocol of every member of one view and the lowest of them with this member's own, read from their addresses
 * once, when the view is installed: senders ask for it on every batch, so it must not parse addresses each time.
 *
 * @param own      this member's protocol
 * @param lowest   the lowest of {@code own} and every member's: what a multicast is written in
 * @param byMember each member's protocol
 */
record ViewProtocols(ProtocolVersion own, ProtocolVersion lowest, Map<Address, ProtocolVersion> byMember) {

    static ViewProtocols of(ProtocolVersion own, View view) {
        Map<Address, ProtocolVersion> byMember = new HashMap<>();
        ProtocolVersion lowest = own;
        if (view != null) {
            for (Address member : view.getMembersRaw()) {
                ProtocolVersion version = ProtocolVersion.spokenBy(member);
                byMember.put(member, version);
                lowest = lowest.min(version);
            }
        }
        return new ViewProtocols(own, lowest, Map.copyOf(byMember));
    }

    /** The protocol to write in for {@code destination} ({@code null}: every member); see Transport#protocolFor. */
    ProtocolVersion forDestination(Address destination) {
        if (destination == null) {
            return lowest;
        }
        ProtocolVersion theirs = byMember.get(destination);
        return own.min(theirs != null ? theirs : ProtocolVersion.spokenBy(destination));
    }
}
