package io.gossipcache.core.cluster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses seed addresses written as {@code host[port]} (JGroups' style) or {@code host:port}. */
public final class Seeds {

    private static final Pattern BRACKET_PORT = Pattern.compile("^(.+)\\[(\\d{1,5})]$");
    private static final Pattern IPV6_COLON_PORT = Pattern.compile("^\\[(.+)]:(\\d{1,5})$");
    private static final Pattern COLON_PORT = Pattern.compile("^([^:]+):(\\d{1,5})$");

    private Seeds() {
    }

    /**
     * Parses one seed.
     *
     * @throws IllegalArgumentException naming the seed when it is malformed
     */
    public static InetSocketAddress parse(String seed) {
        String s = seed == null ? "" : seed.trim();
        Matcher m = BRACKET_PORT.matcher(s);
        if (!m.matches()) {
            m = IPV6_COLON_PORT.matcher(s);
        }
        if (!m.matches()) {
            m = COLON_PORT.matcher(s);
        }
        if (!m.matches()) {
            throw new IllegalArgumentException("Malformed seed '" + seed + "': expected host[port] or host:port");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Malformed seed '" + seed + "': port " + port + " out of range");
        }
        // Unresolved on purpose: a seed that does not resolve yet (a peer not started) is not an error.
        return InetSocketAddress.createUnresolved(m.group(1), port);
    }

    /** Parses every seed. */
    public static List<InetSocketAddress> parseAll(List<String> seeds) {
        List<InetSocketAddress> out = new ArrayList<>(seeds.size());
        for (String seed : seeds) {
            out.add(parse(seed));
        }
        return out;
    }
}
