/**
 * The engine: {@link io.gossipcache.core.GossipCacheEngine} (the facade: lifecycle and mode) and the parts it wires.
 * Public here are the facade, {@link io.gossipcache.core.EngineConfig}, {@link io.gossipcache.core.ReplicatedCache}
 * and their value and exception types; the parts are package-private.
 *
 * <p>The map of packages, their parts and how data moves between them is in {@code docs/architecture.md}.
 *
 * <h2>Threads</h2>
 * {@code EngineThreads} creates and stops every thread of an engine (one each, named
 * {@code gossipcache-<job>-<node>}); JGroups' threads belong to the channel that {@code Cluster} opens and closes.
 * <table>
 * <caption>Who runs what</caption>
 * <tr><th>thread</th><th>runs</th><th>may block on</th></tr>
 * <tr><td>application threads</td><td>cache reads and writes, {@code start}, {@code switchMode}, {@code close}</td>
 * <td>a full replication queue (backpressure); a {@code sync} write's acknowledgements (up to the sync
 * timeout); joining and the state (start, return to CLUSTERED)</td></tr>
 * <tr><td>JGroups delivery</td><td>{@code InboundDispatcher.onMessage}: routing only; acknowledgements are handled
 * here</td><td>a full inbound queue (then JGroups' flow control holds the sender back)</td></tr>
 * <tr><td>{@code inbound}</td><td>decoding and applying replicated writes and state chunks; answering acks;
 * anti-entropy entries the anti-entropy thread had no room for</td><td>sending an ack (flow control)</td></tr>
 * <tr><td>{@code antientropy}</td><td>rounds, digests, buckets, pulls and entries of anti-entropy; healed
 * partitions first ({@code PartitionHealer}, under its lock)</td><td>sending (flow control); the heal lock</td></tr>
 * <tr><td>{@code maintenance}</td><td>sweeps, the gossip period (queues a round), healed partitions, the state
 * transfer deadline</td><td>the heal lock</td></tr>
 * <tr><td>{@code replicator}</td><td>the sender loop: batches of local writes to every member</td><td>the
 * queue (polls), sending (flow control)</td></tr>
 * <tr><td>{@code state}</td><td>a provider's snapshot of every store, sent in chunks to a joiner</td><td>sending
 * (flow control)</td></tr>
 * </table>
 * Stores are safe for concurrent use (newest version wins whatever the order), so writes applied on the inbound
 * and anti-entropy threads and by application threads need no further lock.
 */
package io.gossipcache.core;
