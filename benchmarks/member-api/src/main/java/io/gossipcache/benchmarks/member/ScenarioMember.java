package io.gossipcache.benchmarks.member;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The main of every cluster-scenario member JVM: loads one {@link CacheSystem} by class name, starts it, and
 * serves a line protocol on stdin/stdout that the controller drives.
 *
 * <p>Answers are single stdout lines starting with {@code "@@ "}; anything else on stdout is noise (logs go to
 * stderr). Every command answers exactly one line, {@code @@ OK <command> <fields...>} or
 * {@code @@ ERR <command> <message>}. Times are {@link System#nanoTime()} values: on Linux it reads
 * CLOCK_MONOTONIC, which is machine-wide, so the controller can compare stamps from different JVMs on one
 * machine. The process exits as soon as stdin closes, even in the middle of a command: it can never outlive
 * the controller that started it.
 *
 * <pre>
 * args: --system FQCN --name N --cluster C --port P --seeds P1,P2,.. --aux A [--tuned]
 * on start:  @@ READY name startCalledNanos readyNanos viewSize      (or @@ FAILED message)
 * VIEW n timeoutMs                 -> OK VIEW n reachedNanos            wait until the view has n members
 * PUT prefix n bytes ttlMs         -> OK PUT n startNanos endNanos      puts prefix0..prefix(n-1) flat out
 * LOAD prefix n bytes threads      -> OK LOAD n startNanos endNanos     the same from several threads, for
 *                                                                        untimed preloads (S5, S6)
 * RATE prefix n bytes perSecond    -> OK RATE n startNanos endNanos     the same, paced (lag scenario)
 * AWAIT prefix n size timeoutMs    -> OK AWAIT lastKeyNanos sizeNanos  key prefix(n-1) readable, then localSize >= size
 * LAG prefix n timeoutMs [perSec]  -> OK LAG count p50us p99us maxus missing duep50us duep99us duemaxus
 *                                                                        reads the keys in order; lag from the put's
 *                                                                        stamp in the value, and from its due time
 * GONE key timeoutMs               -> OK GONE presentNanos goneNanos    wait until the key is readable, then gone
 * HEAP                             -> OK HEAP usedBytes                 heap used after repeated full GCs
 * SIZE                             -> OK SIZE localSize viewSize
 * DESCRIBE                         -> OK DESCRIBE name | version | describe(options)
 * EXIT                             -> OK EXIT                           close the system and exit
 * </pre>
 *
 * Every value starts with the {@code nanoTime} of its put (8 bytes, big-endian), then the time it was due (8 bytes:
 * RATE's schedule, else the put's time again); the rest is filler.
 */
public final class ScenarioMember {

    private static final PrintStream OUT = System.out;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final BlockingQueue<String> COMMANDS = new LinkedBlockingQueue<>();
    private static volatile boolean exiting;

    private final CacheSystem system;
    private final MemberOptions options;

    private ScenarioMember(CacheSystem system, MemberOptions options) {
        this.system = system;
        this.options = options;
    }

    /** Entry point of a member JVM; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String systemClass = null;
        String name = null;
        String cluster = null;
        int port = -1;
        int aux = -1;
        List<Integer> seeds = new ArrayList<>();
        boolean tuned = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--system" -> systemClass = args[++i];
                case "--name" -> name = args[++i];
                case "--cluster" -> cluster = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--aux" -> aux = Integer.parseInt(args[++i]);
                case "--seeds" -> Arrays.stream(args[++i].split(",")).map(Integer::parseInt).forEach(seeds::add);
                case "--tuned" -> tuned = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (systemClass == null || name == null || cluster == null || port < 0 || aux < 0 || seeds.isEmpty()) {
            throw new IllegalArgumentException("need --system --name --cluster --port --seeds --aux");
        }
        watchStdin();
        MemberOptions options = new MemberOptions(name, cluster, port, seeds, aux, tuned);
        CacheSystem system;
        long startCalled;
        try {
            system = (CacheSystem) Class.forName(systemClass).getDeclaredConstructor().newInstance();
            startCalled = System.nanoTime();
            system.start(options);
        } catch (Throwable t) {
            t.printStackTrace();
            say("FAILED " + oneLine(t));
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(system::close, "close-system"));
        say("READY " + name + " " + startCalled + " " + System.nanoTime() + " " + system.viewSize());
        new ScenarioMember(system, options).serve();
    }

    /**
     * Reads commands on a daemon thread so that the end of stdin is seen even in the middle of a long command:
     * then the controller is gone and this JVM halts at once (no orphan members).
     */
    private static void watchStdin() {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.trim().equals("EXIT")) {
                        exiting = true; // the end of stdin that follows is expected: the main thread closes
                    }
                    COMMANDS.add(line);
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
            if (!exiting) {
                System.err.println("stdin closed: the controller is gone; exiting");
                Runtime.getRuntime().halt(3);
            }
        }, "stdin");
        reader.setDaemon(true);
        reader.start();
    }

    private void serve() throws InterruptedException {
        while (true) {
            String line = COMMANDS.take().trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] c = line.split("\\s+");
            try {
                switch (c[0]) {
                    case "VIEW" -> view(Integer.parseInt(c[1]), Long.parseLong(c[2]));
                    case "PUT" -> put(c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]), Long.parseLong(c[4]));
                    case "LOAD" -> load(c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]), Integer.parseInt(c[4]));
                    case "RATE" -> rate(c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]), Integer.parseInt(c[4]));
                    case "AWAIT" -> await(c[1], Integer.parseInt(c[2]), Long.parseLong(c[3]), Long.parseLong(c[4]));
                    case "LAG" -> lag(c[1], Integer.parseInt(c[2]), Long.parseLong(c[3]),
                            c.length > 4 ? Integer.parseInt(c[4]) : 0);
                    case "GONE" -> gone(c[1], Long.parseLong(c[2]));
                    case "HEAP" -> say("OK HEAP " + heapAfterFullGc());
                    case "DESCRIBE" -> say("OK DESCRIBE " + system.name() + " | " + system.version() + " | "
                            + system.describe(options).replaceAll("\\s+", " "));
                    case "SIZE" -> say("OK SIZE " + system.localSize() + " " + system.viewSize());
                    case "EXIT" -> {
                        exiting = true;
                        system.close();
                        say("OK EXIT");
                        System.exit(0);
                    }
                    default -> say("ERR " + c[0] + " unknown command");
                }
            } catch (RuntimeException e) {
                e.printStackTrace();
                say("ERR " + c[0] + " " + oneLine(e));
            }
        }
    }

    private void view(int n, long timeoutMs) {
        long deadline = deadline(timeoutMs);
        int size;
        while ((size = system.viewSize()) != n) {
            if (System.nanoTime() > deadline) {
                say("ERR VIEW has " + size + " members, not " + n);
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        say("OK VIEW " + n + " " + System.nanoTime());
    }

    private void put(String prefix, int n, int bytes, long ttlMs) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            byte[] value = value(bytes);
            if (ttlMs > 0) {
                system.put(prefix + i, value, ttlMs);
            } else {
                system.put(prefix + i, value);
            }
        }
        say("OK PUT " + n + " " + start + " " + System.nanoTime());
    }

    /**
     * Puts prefix0..prefix(n-1) from several threads, each its own stripe of keys. Only for preloads that are not
     * timed: a Hazelcast ReplicatedMap put waits for a round trip to the key's owner, so one thread would spend
     * most of a round's budget loading data that no metric measures.
     */
    private void load(String prefix, int n, int bytes, int threads) throws InterruptedException {
        long start = System.nanoTime();
        List<Thread> loaders = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread loader = new Thread(() -> {
                try {
                    for (int i = first; i < n; i += threads) {
                        system.put(prefix + i, value(bytes));
                    }
                } catch (RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "loader-" + t);
            loader.start();
            loaders.add(loader);
        }
        for (Thread loader : loaders) {
            loader.join();
        }
        if (!failures.isEmpty()) {
            say("ERR LOAD " + oneLine(failures.get(0)));
            return;
        }
        say("OK LOAD " + n + " " + start + " " + System.nanoTime());
    }

    /** Puts at a fixed rate: put i is due at start + i / rate; a late writer catches up without sleeping. */
    private void rate(String prefix, int n, int bytes, int perSecond) {
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long now;
            // One wake-up per put, at its due time (late by at most the timer slack, 50 us by default on Linux, as
            // before): waking every 100 us gave the writer 6,100 context switches a second at 2,000 puts/s, not 2,400.
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            system.put(prefix + i, value(bytes, due));
        }
        long end = System.nanoTime();
        // to match with logs and samplers: nanoTime and JVM uptime (what -Xlog and LogCompilation stamp)
        long uptimeEnd = ManagementFactory.getRuntimeMXBean().getUptime();
        System.err.println("RATE window (nanoTime): " + start + " " + end + " uptime ms "
                + (uptimeEnd - TimeUnit.NANOSECONDS.toMillis(end - start)) + " " + uptimeEnd);
        say("OK RATE " + n + " " + start + " " + end);
    }

    private void await(String prefix, int n, long size, long timeoutMs) {
        long deadline = deadline(timeoutMs);
        String last = prefix + (n - 1);
        while (system.get(last) == null) {
            if (System.nanoTime() > deadline) {
                say("ERR AWAIT key " + last + " not readable; localSize " + system.localSize());
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        long lastKey = System.nanoTime();
        long have;
        // localSize may cost a scan: poll it every millisecond, not in a spin.
        while ((have = system.localSize()) < size) {
            if (System.nanoTime() > deadline) {
                say("ERR AWAIT localSize " + have + " < " + size);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        say("OK AWAIT " + lastKey + " " + System.nanoTime());
    }

    /**
     * Reads prefix0..prefix(n-1) in order, each as soon as it is readable (looking every 100 us, the
     * resolution); lag = read time - put stamp.
     *
     * @param perSecond the writer's rate (RATE's schedule), or 0 if unknown: with it, the reader does not look for
     *                  a key before the key is due (key 0's due time + i / rate), since no put happens earlier
     */
    private void lag(String prefix, int n, long timeoutMs, int perSecond) {
        long deadline = deadline(timeoutMs);
        long[] lags = new long[n];
        long[] dueLags = new long[n];
        long[] stamps = new long[n];
        int count = 0;
        int missing = 0;
        long interval = perSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / perSecond : 0;
        long firstDue = 0;
        for (int i = 0; i < n; i++) {
            String key = prefix + i;
            if (count > 0 && interval > 0) {
                // Sleeps until the key is due instead of looking every 100 us from the previous key on: fewer
                // wake-ups (5,100 context switches a second per reader at 2,000 puts/s before, 4,500 after) on a
                // machine whose 2 cores the systems' own threads need.
                long due = firstDue + i * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
            }
            byte[] v;
            // Parks between looks instead of burning a core: on 2 cores, two spinning readers starved the
            // systems' own receive threads and measured the scheduler more than the replication.
            while ((v = system.get(key)) == null && System.nanoTime() < deadline) {
                LockSupport.parkNanos(POLL_NANOS);
            }
            if (v == null) {
                missing++;
                continue;
            }
            long read = System.nanoTime();
            ByteBuffer stamp = ByteBuffer.wrap(v);
            stamps[count] = stamp.getLong();
            lags[count] = read - stamps[count];
            long due = stamp.getLong();
            dueLags[count] = read - due;
            if (count == 0) {
                firstDue = due - i * interval;
            }
            count++;
        }
        logLateRuns(lags, stamps, count);
        long[] sorted = Arrays.copyOf(lags, count);
        Arrays.sort(sorted);
        long[] dueSorted = Arrays.copyOf(dueLags, count);
        Arrays.sort(dueSorted);
        say("OK LAG " + count + " " + micros(percentile(sorted, 0.50)) + " " + micros(percentile(sorted, 0.99))
                + " " + micros(count == 0 ? -1 : sorted[count - 1]) + " " + missing
                + " " + micros(percentile(dueSorted, 0.50)) + " " + micros(percentile(dueSorted, 0.99))
                + " " + micros(count == 0 ? -1 : dueSorted[count - 1]));
    }

    /**
     * Writes to the member's log (stderr) every run of consecutive keys that arrived more than 2 ms after their put:
     * when it started (nanoTime of its first put), how many keys and the worst lag. Stalls are what make a p99;
     * their start times can be matched with GC or member logs.
     */
    private static void logLateRuns(long[] lags, long[] stamps, int count) {
        long late = TimeUnit.MILLISECONDS.toNanos(2);
        StringBuilder runs = new StringBuilder();
        int i = 0;
        while (i < count) {
            if (lags[i] <= late) {
                i++;
                continue;
            }
            int first = i;
            long worst = 0;
            while (i < count && lags[i] > late) {
                worst = Math.max(worst, lags[i]);
                i++;
            }
            runs.append(String.format(" [%d +%d keys, max %d us]", stamps[first], i - first, micros(worst)));
        }
        System.err.println("LAG late runs (> 2 ms):" + (runs.length() == 0 ? " none" : runs));
    }

    private void gone(String key, long timeoutMs) {
        long deadline = deadline(timeoutMs);
        while (system.get(key) == null) {
            if (System.nanoTime() > deadline) {
                say("ERR GONE key " + key + " never readable");
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        long present = System.nanoTime();
        while (system.get(key) != null) {
            if (System.nanoTime() > deadline) {
                say("ERR GONE key " + key + " still readable");
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        say("OK GONE " + present + " " + System.nanoTime());
    }

    /** Full GCs until the used heap stops shrinking (within 1 %), at most 6. */
    static long heapAfterFullGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 6; i++) {
            System.gc();
            used = memory.getHeapMemoryUsage().getUsed();
            if (used >= previous * 0.99) {
                break;
            }
            previous = used;
        }
        return used;
    }

    private static byte[] value(int bytes) {
        long now = System.nanoTime();
        return value(bytes, now);
    }

    /**
     * A value stamped with the time of its put (first 8 bytes) and the time it was due (next 8): a paced writer
     * that is held up, by a put that waits for another member or by its own pauses, puts late, and only the due
     * time charges that wait to the lag (the coordinated-omission correction).
     */
    private static byte[] value(int bytes, long due) {
        byte[] v = new byte[Math.max(16, bytes)];
        Arrays.fill(v, 16, v.length, (byte) 'x');
        ByteBuffer.wrap(v).putLong(System.nanoTime()).putLong(due);
        return v;
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long micros(long nanos) {
        return nanos < 0 ? -1 : nanos / 1_000;
    }

    private static long deadline(long timeoutMs) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    private static String oneLine(Throwable t) {
        return (t.getClass().getSimpleName() + ": " + t.getMessage()).replaceAll("\\s+", " ");
    }

    private static void say(String line) {
        synchronized (OUT) {
            OUT.println("@@ " + line);
            OUT.flush();
        }
    }
}
