package io.gossipcache.core;

import java.util.function.Consumer;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;

/** A protocol for tests that shows every message on its way up to a consumer (on JGroups' threads), then passes it on. */
final class MessageTap extends Protocol {

    private final Consumer<Message> onMessage;

    MessageTap(Consumer<Message> onMessage) {
        this.onMessage = onMessage;
    }

    @Override
    public Object up(Message msg) {
        onMessage.accept(msg);
        return up_prot.up(msg);
    }

    @Override
    public void up(MessageBatch batch) {
        batch.forEach(onMessage);
        up_prot.up(batch);
    }
}
