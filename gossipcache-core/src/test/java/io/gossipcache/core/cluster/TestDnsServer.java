package io.gossipcache.core.cluster;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real DNS server over UDP for discovery tests: answers A and SRV queries from records the test adds and removes
 * while members run, NXDOMAIN for names it does not know. dnsjava encodes and parses the messages; the loop is
 * ours. Records have TTL 0, so nothing caches an answer a test has changed since.
 *
 * <p>Concurrency: one daemon thread owns the socket's receive side; the record maps are concurrent, so a test
 * thread may change them at any time.
 */
public final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<Name, List<InetAddress>> aRecords = new ConcurrentHashMap<>();
    private final Map<Name, List<Srv>> srvRecords = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread loop;

    private record Srv(Name target, int port) {
    }

    /** Starts a server on {@code bindAddress}, on a free UDP port. */
    public TestDnsServer(String bindAddress) throws IOException {
        this(bindAddress, 0);
    }

    public TestDnsServer(String bindAddress, int port) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bindAddress), port));
        loop = new Thread(this::serve, "test-dns-" + socket.getLocalPort());
        loop.setDaemon(true);
        loop.start();
    }

    /** {@code host:port} of this server, as {@code gossipcache.cluster.discovery.dns.address} takes it. */
    public String address() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** Adds an A record. */
    public TestDnsServer addA(String name, String ip) throws IOException {
        aRecords.computeIfAbsent(name(name), n -> new CopyOnWriteArrayList<>()).add(InetAddress.getByName(ip));
        return this;
    }

    /** Adds an SRV record naming {@code target} (looked up as an A record in turn) and {@code port}. */
    public TestDnsServer addSrv(String name, String target, int port) throws TextParseException {
        srvRecords.computeIfAbsent(name(name), n -> new CopyOnWriteArrayList<>()).add(new Srv(name(target), port));
        return this;
    }

    /** How many queries this server has answered. */
    public int queries() {
        return queries.get();
    }

    private static Name name(String name) throws TextParseException {
        return Name.fromString(name.endsWith(".") ? name : name + ".").canonicalize();
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] reply = answer(Arrays.copyOf(packet.getData(), packet.getLength()));
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                queries.incrementAndGet();
            } catch (SocketException closed) {
                return;
            } catch (IOException malformed) {
                // not a DNS query: ignore it, as a server would
            }
        }
    }

    private byte[] answer(byte[] request) throws IOException {
        Message query = new Message(request);
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName().canonicalize();
        List<InetAddress> addresses = aRecords.getOrDefault(name, List.of());
        List<Srv> services = srvRecords.getOrDefault(name, List.of());
        if (addresses.isEmpty() && services.isEmpty()) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (question.getType() == Type.A) {
            for (InetAddress address : addresses) {
                response.addRecord(new ARecord(name, DClass.IN, 0, address), Section.ANSWER);
            }
        } else if (question.getType() == Type.SRV) {
            for (Srv srv : services) {
                response.addRecord(new SRVRecord(name, DClass.IN, 0, 10, 100, srv.port(), srv.target()), Section.ANSWER);
            }
        }
        return response.toWire();
    }

    /**
     * A server in its own process (the multi-host suite runs one in a network namespace). Args: bind address, port,
     * then records as {@code A:name=ip} or {@code SRV:name=target:port}. Prints {@code READY}; exits when stdin closes.
     */
    public static void main(String[] args) throws Exception {
        try (TestDnsServer server = new TestDnsServer(args[0], Integer.parseInt(args[1]))) {
            for (int i = 2; i < args.length; i++) {
                String[] record = args[i].split("[:=]");
                switch (record[0]) {
                    case "A" -> server.addA(record[1], record[2]);
                    case "SRV" -> server.addSrv(record[1], record[2], Integer.parseInt(record[3]));
                    default -> throw new IllegalArgumentException("not A:name=ip or SRV:name=target:port: " + args[i]);
                }
            }
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our stdin (or goes away)
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        loop.join(5_000);
    }
}
