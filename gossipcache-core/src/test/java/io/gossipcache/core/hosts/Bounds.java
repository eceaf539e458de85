package io.gossipcache.core.hosts;

import static io.gossipcache.core.hosts.HostMemberMain.FD_INTERVAL;
import static io.gossipcache.core.hosts.HostMemberMain.FD_TIMEOUT;
import static io.gossipcache.core.hosts.HostMemberMain.GOSSIP_INTERVAL;
import static io.gossipcache.core.hosts.HostMemberMain.MERGE_INTERVAL;
import static io.gossipcache.core.hosts.HostMemberMain.VERIFY_SUSPECT;

import java.time.Duration;

/**
 * The time bounds the multi-host suite asserts, derived from the members' settings ({@link HostMemberMain}) and
 * from how JGroups 5.5 uses them; {@link #SLACK} covers view installation, scheduling on a loaded 2-core machine
 * and the suite's 50 ms polling.
 */
final class Bounds {

    static final Duration SLACK = Duration.ofSeconds(1);
    /** Members started and converged on their first writes (JVM start on a loaded 2-core machine). */
    static final Duration START = Duration.ofSeconds(60);
    /**
     * A lost host leaves the others' views. FD_ALL3 suspects a silent peer at its first check (one per interval)
     * after a timeout without heartbeats, so up to timeout + interval after the cut; then the verify-suspect timeout
     * (checked every 100 ms). A killed process is seen at once (its port refuses connections), but this is the bound.
     */
    static final Duration DETECTION = FD_TIMEOUT.plus(FD_INTERVAL).plus(VERIFY_SUSPECT).plus(SLACK);
    /**
     * A partition splits the view. The side without the coordinator must also make one of its own the coordinator
     * before it installs its view: measured 3.7-5.2 s with these settings. Not a promise of the product, only how
     * long the suite waits before it writes on both sides.
     */
    static final Duration SPLIT = DETECTION.multipliedBy(3);
    /**
     * Heal until one view: a healed split merges within the merge interval (JGroupsStack.merge), but now and then
     * JGroups' first merge leaves one member out (it installs a view of its own) and the next check, half an interval
     * later, merges it: measured 3.0-3.2 s at M = 2 s in 4 of 16 heals (1 of the 4 ran before issue 20's refactoring),
     * the others 0.8-2.0 s. So two merge intervals.
     */
    static final Duration MERGE = MERGE_INTERVAL.multipliedBy(2).plus(SLACK);
    /** Heal until converged: one view ({@link #MERGE}) + 2 gossip intervals. */
    static final Duration CONVERGED = MERGE.plus(GOSSIP_INTERVAL.multipliedBy(2));
    /** How long the converged state must then hold: a few more anti-entropy rounds. */
    static final Duration STAY = GOSSIP_INTERVAL.multipliedBy(4);

    private Bounds() {
    }
}
