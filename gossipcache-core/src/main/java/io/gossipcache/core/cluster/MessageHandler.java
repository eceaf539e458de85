package io.gossipcache.core.cluster;

import org.jgroups.Address;

/**
 * Receives the payload of every message from another member. Called on a JGroups thread: return quickly. The bytes
 * are the message's own (JGroups reads each message into a new array, and nothing writes to it after delivery), so
 * the handler may read them later from another thread.
 */
@FunctionalInterface
public interface MessageHandler {

    void onMessage(Address source, byte[] buffer, int offset, int length);
}
