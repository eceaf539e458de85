package io.gossipcache.core.cluster;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.PhysicalAddress;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.VERIFY_SUSPECT2;

/**
 * VERIFY_SUSPECT2 that confirms a crashed member at once and declares any other suspect dead as soon as its verify
 * timeout has passed.
 * <ul>
 * <li><b>Crashed.</b> While a member is suspected, this member checks every {@link #PROBE_PERIOD_MS} whether the
 *     suspect's transport port refuses a connection ({@link HungPeerSafeTcp#refusesConnections}). Only a port
 *     without a process refuses: a killed process's kernel does at once, while a frozen or paused member's kernel
 *     still accepts and a vanished or cut-off host does not answer. So a {@code kill -9} leaves the view within a
 *     few tens of milliseconds instead of the verify timeout (1 s by default), and nothing else is confirmed early.
 *     The probe is an ordinary JGroups connection (one a send would open), so a live suspect sees nothing odd.</li>
 * <li><b>Timeout.</b> JGroups 5.5's VERIFY_SUSPECT2 looks at its suspects only once every {@code timeout} (a
 *     fixed-rate task), so a member that did not answer was removed between 1x and 2x the timeout after the
 *     suspicion. Checking every {@link #CHECK_PERIOD_MS} as well removes it within the timeout + 0.1 s.</li>
 * </ul>
 * Who is asked and what counts as alive are unchanged, and on the wire it is the same protocol: it keeps
 * VERIFY_SUSPECT2's protocol id, so members with a plain VERIFY_SUSPECT2 (or a custom XML stack) understand it.
 */
final class PromptVerifySuspect extends VERIFY_SUSPECT2 {

    static final long CHECK_PERIOD_MS = 100;
    /** Between probes of a suspect's port: the first may still find the connection the crash has not yet closed. */
    static final long PROBE_PERIOD_MS = 25;

    private Future<?> promptCheck;

    PromptVerifySuspect() {
        setId(ClassConfigurator.getProtocolId(VERIFY_SUSPECT2.class));
    }

    @Override
    public synchronized void start() throws Exception {
        super.start();
        if (promptCheck == null) {
            long period = Math.max(10, Math.min(CHECK_PERIOD_MS, getTimeout()));
            // run() only sends up the suspects whose timeout has passed; it is cheap when there are none
            promptCheck = timer.scheduleAtFixedRate(this, period, period, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void verifySuspect(Collection<Address> mbrs) {
        super.verifySuspect(mbrs);
        if (mbrs != null && getTransport() instanceof HungPeerSafeTcp tcp) {
            long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(getTimeout());
            mbrs.forEach(suspect -> probe(tcp, suspect, giveUpAt));
        }
    }

    private void probe(HungPeerSafeTcp tcp, Address suspect, long giveUpAt) {
        if (!isSuspected(suspect) || System.nanoTime() - giveUpAt > 0) {
            return; // answered, excluded, or left to the verify timeout
        }
        Object physical = down_prot.down(new Event(Event.GET_PHYSICAL_ADDRESS, suspect));
        if (!(physical instanceof PhysicalAddress address)) {
            return;
        }
        tcp.refusesConnections(address).thenAccept(refused -> {
            if (refused) {
                confirm(suspect);
            } else {
                try {
                    timer.schedule(() -> probe(tcp, suspect, giveUpAt), PROBE_PERIOD_MS, TimeUnit.MILLISECONDS);
                } catch (RuntimeException stopping) {
                    // the timer stops with the channel
                }
            }
        });
    }

    private synchronized boolean isSuspected(Address member) {
        return suspects.stream().anyMatch(entry -> entry.suspect().equals(member));
    }

    /** Passes the suspicion up now, as the verify timeout would (unless it was answered or passed up meanwhile). */
    private void confirm(Address suspect) {
        if (removeSuspect(suspect)) {
            log.debug("%s: %s refuses connections: no process listens, confirming the suspicion", local_addr, suspect);
            up_prot.up(new Event(Event.SUSPECT, List.of(suspect)));
        }
    }

    @Override
    public synchronized void stop() {
        if (promptCheck != null) {
            promptCheck.cancel(false);
            promptCheck = null;
        }
        super.stop();
    }
}
