package io.tsync.clock;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small SNTP client (RFC 5905 client mode, RFC 4330's checks): measures this machine's clock against an NTP
 * server, for {@code --reference}. Packets are built and read by pure functions; {@link #query} does the UDP.
 */
public final class Sntp {
    public static final int PORT = 123;
    static final int LENGTH = 48;
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
    static final long EPOCH_DELTA = 2_208_988_800L;
    private static final int QUERIES = 3;

    private Sntp() {}

    /** The server's answer, its four timestamps as Unix nanoseconds (t1 and t4 on this machine's clock). */
    public record Reply(int leap, int version, int stratum, long originNanos, long receiveNanos, long transmitNanos) {}

    /** A client request (version 4, mode 3) whose transmit timestamp is {@code transmitNanos}. */
    public static byte[] request(long transmitNanos) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(0, (byte) (4 << 3 | 3));
        b.putLong(40, toNtp(transmitNanos));
        return b.array();
    }

    /**
     * Reads a server's answer to the request sent with {@code sentNtp} (the 64-bit timestamp as sent).
     *
     * @throws IllegalArgumentException when it is no usable answer to that request: too short, not server mode, a
     *     kiss-o'-death (stratum 0), an unsynchronised server (leap 3, stratum above 15), or another request's reply
     */
    public static Reply parse(byte[] packet, int length, long sentNtp) {
        if (length < LENGTH) {
            throw new IllegalArgumentException("short reply (" + length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(packet, 0, length);
        int first = b.get(0) & 0xff;
        int leap = first >> 6;
        int version = first >> 3 & 7;
        int mode = first & 7;
        int stratum = b.get(1) & 0xff;
        if (mode != 4) {
            throw new IllegalArgumentException("not a server reply (mode " + mode + ")");
        }
        if (stratum == 0) {
            String code = new String(packet, 12, 4, java.nio.charset.StandardCharsets.US_ASCII).strip();
            throw new IllegalArgumentException("kiss-o'-death " + code);
        }
        if (leap == 3 || stratum > 15) {
            throw new IllegalArgumentException("server not synchronised (leap " + leap + ", stratum " + stratum + ")");
        }
        if (b.getLong(24) != sentNtp) {
            throw new IllegalArgumentException("reply to another request (origin timestamp does not match)");
        }
        long receive = b.getLong(32);
        long transmit = b.getLong(40);
        if (transmit == 0) {
            throw new IllegalArgumentException("reply without a transmit timestamp");
        }
        return new Reply(leap, version, stratum, fromNtp(sentNtp), fromNtp(receive), fromNtp(transmit));
    }

    /**
     * The server's clock minus this machine's: ((t2 - t1) + (t3 - t4)) / 2, error half the round-trip delay
     * (t4 - t1) - (t3 - t2), stated as an offset of the server against the controller.
     */
    public static ClockOffset offset(Reply r, long receivedNanos, String server) {
        long t1 = r.originNanos();
        long t2 = r.receiveNanos();
        long t3 = r.transmitNanos();
        long t4 = receivedNanos;
        double offset = ((t2 - t1) + (t3 - t4)) / 2e9;
        double delay = Math.max(0, (t4 - t1) - (t3 - t2)) / 1e9;
        return new ClockOffset(offset, delay / 2, server);
    }

    /** 64-bit NTP timestamp (32.32 fixed point from 1900; era 1 from 2036 wraps, as RFC 5905 says). */
    static long toNtp(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, 1_000_000_000L);
        long nanos = Math.floorMod(unixNanos, 1_000_000_000L);
        long ntpSeconds = (seconds + EPOCH_DELTA) & 0xffff_ffffL;
        long fraction = (nanos << 32) / 1_000_000_000L;
        return ntpSeconds << 32 | fraction;
    }

    /** Unix nanoseconds of an NTP timestamp: seconds below 2^31 are read as era 1 (after 2036-02-07). */
    static long fromNtp(long ntp) {
        long seconds = ntp >>> 32;
        long fraction = ntp & 0xffff_ffffL;
        if (seconds < 0x8000_0000L) {
            seconds += 1L << 32;
        }
        return (seconds - EPOCH_DELTA) * 1_000_000_000L + (fraction * 1_000_000_000L >>> 32);
    }

    /**
     * The server's clock against this machine's, from {@value #QUERIES} queries (the shortest delay wins).
     *
     * @param server a host name or address, optionally {@code :PORT}
     * @throws IOException when no query got a usable answer within {@code timeout} each
     */
    public static ClockOffset query(String server, Duration timeout) throws IOException {
        InetSocketAddress to = address(server);
        List<ClockOffset> got = new ArrayList<>();
        String why = "no answer within " + timeout.toMillis() + " ms";
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            socket.connect(to);
            Instant wall = Instant.now();
            long base = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - System.nanoTime();
            for (int i = 0; i < QUERIES; i++) {
                byte[] req = request(base + System.nanoTime());
                long sentNtp = ByteBuffer.wrap(req).getLong(40);
                socket.send(new DatagramPacket(req, req.length));
                byte[] buf = new byte[512];
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                long received = base + System.nanoTime();
                try {
                    got.add(offset(parse(buf, in.getLength(), sentNtp), received, server));
                } catch (IllegalArgumentException e) {
                    why = e.getMessage();
                }
            }
        }
        String reason = why;
        return got.stream().min(java.util.Comparator.comparingDouble(ClockOffset::errorSeconds))
                .orElseThrow(() -> new IOException("NTP server " + server + ": " + reason));
    }

    /** {@code HOST} or {@code HOST:PORT} ({@code [v6]:PORT} for IPv6 with a port). */
    static InetSocketAddress address(String server) throws IOException {
        try {
            return parseAddress(server);
        } catch (NumberFormatException e) {
            throw new IOException("NTP server " + server + ": not HOST or HOST:PORT");
        }
    }

    private static InetSocketAddress parseAddress(String server) throws IOException {
        String host = server;
        int port = PORT;
        int colon = server.lastIndexOf(':');
        if (server.startsWith("[") && server.contains("]")) {
            int close = server.indexOf(']');
            host = server.substring(1, close);
            if (close + 1 < server.length() && server.charAt(close + 1) == ':') {
                port = Integer.parseInt(server.substring(close + 2));
            }
        } else if (colon > 0 && server.indexOf(':') == colon) {
            host = server.substring(0, colon);
            port = Integer.parseInt(server.substring(colon + 1));
        }
        if (port < 1 || port > 65535) {
            throw new IOException("NTP server " + server + ": port out of range");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }
}
