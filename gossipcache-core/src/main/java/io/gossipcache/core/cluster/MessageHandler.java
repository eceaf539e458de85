package io.gossipcache.core.cluster;

import org.jgroups.Address;

/** Receives the payload of every message from another member. Called on a JGroups thread: return quickly. */
@FunctionalInterface
public interface MessageHandler {

    void onMessage(Address source, byte[] buffer, int offset, int length);
}
